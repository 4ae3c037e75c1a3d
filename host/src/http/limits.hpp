// Every HTTP limit, explicit: Poco's defaults are small and implicit, and a
// full queue drops connections silently. Read from [serve] / [daemon].
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace wildws::host {

class ConfigStore;

struct HttpLimits {
    int threads = 64;                // worker threads; a keep-alive connection holds one
    int queue = 64;                  // accepted connections waiting for a thread
    int timeoutSeconds = 10;         // a whole request head, a whole body, and each send
    int keepAliveSeconds = 5;        // idle keep-alive before close
    int maxKeepAliveRequests = 100;
    std::size_t maxBodyBytes = 1024 * 1024;
    int maxStreams = 8;              // concurrent plugin streams (agent turns)
    int maxEventStreams = 32;        // concurrent /api/events feeds (one per open page)
    int maxConnections = 4096;       // open connections; past it the one waiting longest is dropped
    // A head is at most 64 KiB; Poco's field limits apply within it: 100
    // fields, names 256 B, values 8 KiB.
};

struct ListenConfig {
    std::string bind = "127.0.0.1";
    int port = 0;
    bool allowRemote = false;
    std::vector<std::string> hostNames; // extra names allowed in the Host header
    HttpLimits limits;
};

/// Reads [section] (serve or daemon); throws ConfigError naming a bad value.
ListenConfig loadListenConfig(const ConfigStore& config, const std::string& section, int defaultPort);

} // namespace wildws::host
