#include "harness.hpp"

#include "http_client.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace st {
namespace {

std::string cmdline(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    // getline, not istreambuf_iterator: a process that exits between open and
    // read makes read() fail with ESRCH, which the iterator turns into a throw.
    std::string raw;
    for (std::string arg; std::getline(in, arg, '\0');) raw += (raw.empty() ? "" : " ") + arg;
    return raw;
}

} // namespace

Home::Home(const HomeOptions& o) {
    home_ = dir_ / "home";
    plugins_ = dir_ / "plugins";
    ::mkdir(home_.c_str(), 0700);
    ::mkdir(plugins_.c_str(), 0700);
    auto copy = [&](const std::string& from) {
        std::string to = plugins_ + "/" + std::filesystem::path(from).filename().string();
        std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
        ::chmod(to.c_str(), 0755);
    };
    copy(SUPERVISOR_PLUGIN_FILE);
    for (auto& f : o.fixtures) copy(std::string(SUPERVISOR_FIXTURES_DIR) + "/wildws-" + f + ".so");
    serverPort_ = wt::freePort();
    do daemonPort_ = wt::freePort();
    while (daemonPort_ == serverPort_);
    // Fast but not twitchy: a loaded 2-core machine still passes.
    std::string ini = "[serve]\nport = " + std::to_string(serverPort_) + "\n" + o.serveIni +
                      "\n[daemon]\nport = " + std::to_string(daemonPort_) +
                      "\n\n[plugin.supervisor]\n"
                      "backoff_start_ms = 100\n"
                      "backoff_cap_ms = 400\n"
                      "healthy_after_ms = 300\n"
                      "health_interval_ms = 250\n"
                      "health_timeout_ms = 1500\n"
                      "stop_grace_ms = 2000\n" +
                      o.supervisorIni + "\n";
    wt::writeFile(home_ + "/wildws.ini", ini, 0600);
}

Home::~Home() {
    cli({"always-on", "stop"}, {{}, {}, "", "", std::chrono::milliseconds(30000)});
    // Whatever still runs from this home (a test that failed half-way).
    for (int pid : processesWith({home_})) ::kill(pid, SIGKILL);
}

std::vector<std::string> Home::argv(const std::vector<std::string>& args) const {
    std::vector<std::string> v{WILDWS_BIN, "--home", home_, "--plugins-dir", plugins_};
    v.insert(v.end(), args.begin(), args.end());
    return v;
}

wt::Result Home::cli(const std::vector<std::string>& args, const wt::RunOptions& options) const {
    return wt::run(argv(args), options);
}

std::string Home::childField(const std::string& child, const std::string& field) const {
    return jsonAt(wt::readFile(file("supervisor-status.json")), "children." + child + "." + field);
}

int Home::childPid(const std::string& child) const {
    auto v = childField(child, "pid");
    return v.empty() ? 0 : std::stoi(v);
}

std::string Home::childState(const std::string& child) const { return childField(child, "state"); }

int Home::supervisorPid() const {
    auto v = jsonAt(wt::readFile(file("supervisor.pid")), "pid");
    return v.empty() ? 0 : std::stoi(v);
}

bool Home::healthy(int port) {
    auto r = wt::http(port, "GET", "/health", {}, {}, std::chrono::milliseconds(1500));
    return r.status == 200;
}

int Home::startsLogged(const std::string& name) const {
    int n = 0;
    for (auto& line : wt::lines(wt::readFile(file("logs/" + name + ".out.log"))))
        if (wt::contains(line, "wildws supervisor: started " + name + " (pid ")) ++n;
    return n;
}

std::vector<std::string> Home::auditLines(const std::string& needle) const {
    std::vector<std::string> out;
    for (auto& line : wt::lines(wt::readFile(file("auditfx.jsonl"))))
        if (needle.empty() || wt::contains(line, needle)) out.push_back(line);
    return out;
}

bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (pred()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool alive(int pid) {
    if (pid <= 0) return false;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return false;
    auto close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z' && text[close + 2] != 'X';
}

std::vector<int> processesWith(const std::vector<std::string>& needles) {
    std::vector<int> out;
    DIR* d = ::opendir("/proc");
    if (!d) return out;
    while (auto* e = ::readdir(d)) {
        int pid = std::atoi(e->d_name);
        if (pid <= 0 || pid == ::getpid() || !alive(pid)) continue;
        auto cmd = cmdline(pid);
        bool all = !cmd.empty();
        for (auto& n : needles) all = all && wt::contains(cmd, n);
        if (all) out.push_back(pid);
    }
    ::closedir(d);
    return out;
}

std::string jsonAt(const std::string& json, const std::string& dottedPath) {
    try {
        Poco::Dynamic::Var v = Poco::JSON::Parser().parse(json);
        std::stringstream parts(dottedPath);
        for (std::string key; std::getline(parts, key, '.');) {
            auto o = v.extract<Poco::JSON::Object::Ptr>();
            if (!o || !o->has(key)) return "";
            v = o->get(key);
        }
        if (v.isEmpty()) return "";
        return v.convert<std::string>();
    } catch (const std::exception&) {
        return "";
    }
}

} // namespace st
