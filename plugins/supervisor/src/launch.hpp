// How the supervisor and its children are started: the same binary with the
// same --home, --plugins-dir and --config as the command that asked, every
// path made absolute (the detached supervisor runs in "/"), and the ports
// this process resolved (config plus --set) passed on explicitly, so a
// `--set serve.port=N` given to `always-on start` reaches `serve`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wildws {
struct HostInfo;
class Config;
}

namespace wildws::supervisor {

struct Launch {
    std::string executable;
    std::string home;
    std::vector<std::string> pluginDirs; // absolute
    std::string configFile;              // "" unless given explicitly (--config)
    int workspacePort = 5173;
    int daemonPort = 5174;
    std::string probeHost = "127.0.0.1"; // where /health is asked
};

Launch launchFrom(const HostInfo& host);

/// [exe, --home, H, --plugins-dir, D..., (--config F), <serve|daemon>, --port, P]
std::vector<std::string> childArgv(const Launch& launch, const std::string& command);

/// [exe, --home, ..., --set serve.port=P, --set daemon.port=Q,
///  --set plugin.supervisor.K=V..., (--log-level off), always-on, run].
/// `quietStderr` when stderr is the supervisor's own log file anyway.
std::vector<std::string> supervisorArgv(const Launch& launch, const Config& supervisorConfig, bool quietStderr);

} // namespace wildws::supervisor
