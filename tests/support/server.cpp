#include "server.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>
#include <thread>

namespace wt {

std::string jsonField(const std::string& path, const std::string& field) {
    try {
        auto o = Poco::JSON::Parser().parse(readFile(path)).extract<Poco::JSON::Object::Ptr>();
        return o->has(field) ? o->get(field).toString() : "";
    } catch (const std::exception&) {
        return "";
    }
}

Server::Server(const std::string& home, const std::string& role, std::vector<std::string> extraArgs,
               const RunOptions& options)
    : home_(home) {
    std::vector<std::string> argv{WILDWS_BIN, "--home", home};
    bool hasDir = false;
    for (auto& a : extraArgs) hasDir = hasDir || a == "--plugins-dir";
    if (!hasDir) {
        argv.push_back("--plugins-dir");
        argv.push_back(WILDWS_PLUGINS_DIR);
    }
    std::vector<std::string> after;
    // Global options go before the role; the rest after it.
    for (std::size_t i = 0; i < extraArgs.size(); ++i) {
        if ((extraArgs[i] == "--plugins-dir" || extraArgs[i] == "--set" || extraArgs[i] == "--config") &&
            i + 1 < extraArgs.size()) {
            argv.push_back(extraArgs[i]);
            argv.push_back(extraArgs[++i]);
        } else {
            after.push_back(extraArgs[i]);
        }
    }
    argv.push_back(role);
    bool hasPort = false;
    for (auto& a : after) hasPort = hasPort || a == "--port";
    if (!hasPort) {
        argv.push_back("--port");
        argv.push_back("0");
    }
    argv.insert(argv.end(), after.begin(), after.end());
    child_ = std::make_unique<Child>(argv, options);
    std::string pidFile = home + (role == "daemon" ? "/daemon.pid" : "/server.pid");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        auto pid = jsonField(pidFile, "pid");
        if (!pid.empty() && std::stoi(pid) == child_->pid()) {
            port_ = std::stoi(jsonField(pidFile, "port"));
            return;
        }
        if (!child_->running())
            throw std::runtime_error("wildws " + role + " exited early: " + child_->output());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("wildws " + role + " did not start: " + child_->output());
}

std::string Server::token() const { return secret("partnerToken"); }

std::string Server::secret(const std::string& field) const { return jsonField(home_ + "/secrets.json", field); }

} // namespace wt
