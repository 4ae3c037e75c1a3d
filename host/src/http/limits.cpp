#include "http/limits.hpp"

#include "app/config_store.hpp"

namespace wildws::host {
namespace {

long long bounded(const Config& c, const std::string& key, long long fallback, long long lo, long long hi) {
    long long v = c.getInt(key, fallback);
    if (v < lo || v > hi)
        throw ConfigError(c.section() + " " + key + " = " + std::to_string(v) + ": expected " + std::to_string(lo) +
                          ".." + std::to_string(hi) + "; fix it in wildws.ini");
    return v;
}

} // namespace

ListenConfig loadListenConfig(const ConfigStore& config, const std::string& section, int defaultPort) {
    auto c = config.section(section);
    ListenConfig out;
    out.bind = c->getString("bind", "127.0.0.1");
    out.port = static_cast<int>(bounded(*c, "port", defaultPort, 0, 65535));
    out.allowRemote = c->getBool("allow_remote", false);
    out.hostNames = c->getList("host_names");
    auto& l = out.limits;
    l.threads = static_cast<int>(bounded(*c, "threads", l.threads, 2, 1024));
    l.queue = static_cast<int>(bounded(*c, "queue", l.queue, 1, 4096));
    l.timeoutSeconds = static_cast<int>(bounded(*c, "timeout_seconds", l.timeoutSeconds, 1, 3600));
    l.keepAliveSeconds = static_cast<int>(bounded(*c, "keepalive_seconds", l.keepAliveSeconds, 0, 3600));
    l.maxKeepAliveRequests = static_cast<int>(bounded(*c, "keepalive_requests", l.maxKeepAliveRequests, 0, 100000));
    l.maxBodyBytes = static_cast<std::size_t>(bounded(*c, "max_body_bytes", static_cast<long long>(l.maxBodyBytes), 1024,
                                                      1LL << 30));
    l.maxStreams = static_cast<int>(bounded(*c, "max_streams", l.maxStreams, 1, 1024));
    l.maxEventStreams = static_cast<int>(bounded(*c, "max_event_streams", l.maxEventStreams, 1, 1024));
    l.maxConnections = static_cast<int>(bounded(*c, "max_connections", l.maxConnections, 16, 1000000));
    return out;
}

} // namespace wildws::host
