#include "launch.hpp"

#include <wildws/config.hpp>
#include <wildws/context.hpp>

#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace wildws::supervisor {
namespace {

std::string absolute(const std::string& path) {
    if (path.empty() || path[0] == '/') return path;
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf)) return buf;
    char* cwd = ::getcwd(nullptr, 0);
    std::string out = cwd ? std::string(cwd) + "/" + path : path;
    std::free(cwd);
    return out;
}

void common(const Launch& l, std::vector<std::string>& argv) {
    argv.push_back(l.executable);
    argv.push_back("--home");
    argv.push_back(l.home);
    for (auto& d : l.pluginDirs) {
        argv.push_back("--plugins-dir");
        argv.push_back(d);
    }
    if (!l.configFile.empty()) {
        argv.push_back("--config");
        argv.push_back(l.configFile);
    }
}

} // namespace

Launch launchFrom(const HostInfo& host) {
    Launch l;
    l.executable = host.executable;
    l.home = absolute(host.home);
    for (auto& d : host.pluginDirs) l.pluginDirs.push_back(absolute(d));
    // The host fills configFile with <home>/wildws.ini when none was given;
    // passing that back as --config would make a missing file an error.
    if (!host.configFile.empty() && host.configFile != host.home + "/wildws.ini") l.configFile = absolute(host.configFile);
    l.workspacePort = host.workspacePort;
    l.daemonPort = host.daemonPort;
    if (host.bindAddress == "::1" || host.bindAddress == "::") l.probeHost = "::1";
    return l;
}

std::vector<std::string> childArgv(const Launch& l, const std::string& command) {
    std::vector<std::string> argv;
    common(l, argv);
    argv.push_back(command);
    argv.push_back("--port");
    argv.push_back(std::to_string(command == "serve" ? l.workspacePort : l.daemonPort));
    return argv;
}

std::vector<std::string> supervisorArgv(const Launch& l, const Config& config, bool quietStderr) {
    std::vector<std::string> argv;
    common(l, argv);
    argv.push_back("--set");
    argv.push_back("serve.port=" + std::to_string(l.workspacePort));
    argv.push_back("--set");
    argv.push_back("daemon.port=" + std::to_string(l.daemonPort));
    for (auto& key : config.keys())
        if (auto v = config.get(key)) {
            argv.push_back("--set");
            argv.push_back("plugin.supervisor." + key + "=" + *v);
        }
    // Detached, its stderr IS its log file, where the spdlog channel already
    // writes: do not say everything twice.
    if (quietStderr) {
        argv.push_back("--log-level");
        argv.push_back("off");
    }
    argv.push_back("always-on");
    argv.push_back("run");
    return argv;
}

} // namespace wildws::supervisor
