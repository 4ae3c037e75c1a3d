// What every request handler of one server shares.
#pragma once

#include "http/limits.hpp"
#include "http/router.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace wildws::host {

class PluginHost;
class SecretsFile;
class StaticFiles;
class OwnerSessions;

struct ServerCore {
    Role role = Role::Workspace;
    ListenConfig listen;
    int port = 0; // the real one, once bound
    PluginHost* plugins = nullptr;
    SecretsFile* secrets = nullptr;
    OwnerSessions* sessions = nullptr; // the page's login sessions (workspace role)
    std::unique_ptr<Router> router;
    std::unique_ptr<StaticFiles> web; // the owner's page (workspace role only)
    std::shared_ptr<spdlog::logger> accessLog;
    std::shared_ptr<spdlog::logger> log;
    std::atomic<bool> stopping{false};
    std::atomic<int> openStreams{0};      // plugin streams (agents), capped by max_streams
    std::atomic<int> openEventStreams{0}; // the page's /api/events, capped by max_event_streams
    std::atomic<int> inFlight{0};
    std::atomic<std::int64_t> startedAtMs{0}; // set by runServer after start(): read by /health threads
    std::string version;
};

} // namespace wildws::host
