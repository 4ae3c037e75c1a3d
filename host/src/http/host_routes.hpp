// The host's own routes: /health, /api/plugins, /api/events, /login.
#pragma once

#include "plugins/registry.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace wildws::host {

class PluginHost;
class SecretsFile;
class ActivityBusImpl;
struct ServerCore;

struct HostRouteDeps {
    PluginHost& plugins;
    SecretsFile& secrets;
    ActivityBusImpl& bus;
    std::string home;
    std::string version;
    /// Set once a server starts (its role, port, start time).
    ServerCore*& core;
};

Contributions hostRoutes(HostRouteDeps deps);

} // namespace wildws::host
