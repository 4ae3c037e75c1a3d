#include "relay_service.hpp"

#include "state_files.hpp"

#include <csignal>
#include <fstream>

namespace wildws::relay {
namespace {

/// The pid is alive and is a wildws daemon (not a recycled pid).
bool daemonAlive(long pid) {
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0) return false;
    std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
    std::string word;
    while (std::getline(cmd, word, '\0'))
        if (word == "daemon") return true;
    return false;
}

} // namespace

std::string RelayService::installId() { return loadOrCreateInstallId(home_); }

RelayState RelayService::state() {
    RelayState s;
    if (auto r = readStatus(home_)) {
        s = r->state;
        s.daemonRunning = daemonAlive(r->pid);
        if (!s.daemonRunning) s.connected = false;
    }
    s.configured = settings_.configured();
    s.url = settings_.broker.displayUrl();
    if (!settings_.error.empty()) s.lastError = settings_.error;
    try {
        s.installId = loadInstallId(home_).value_or(""); // made by installId(), never by a status read
    } catch (const std::exception& e) {
        s.installId.clear();
        if (s.lastError.empty()) s.lastError = e.what();
    }
    return s;
}

} // namespace wildws::relay
