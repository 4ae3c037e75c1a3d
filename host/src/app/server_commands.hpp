// `wildws serve`, `wildws daemon` and `wildws open`.
#pragma once

#include "app/config_check.hpp"
#include "plugins/registry.hpp"

#include <string>

namespace wildws::host {

class PluginHost;
class ConfigStore;
class Logs;
class SecretsFile;
struct ServerCore;

struct ServerDeps {
    PluginHost& plugins;
    HostInfo& host;
    const ConfigStore& config;
    Logs& logs;
    SecretsFile& secrets;
    ServerCore*& current; // the running server, for /health's uptime
    const std::vector<ConfigProblem>& problems; // the config's; some stop serve/daemon
};

Contributions serverCommands(ServerDeps deps);

} // namespace wildws::host
