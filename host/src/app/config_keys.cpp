#include "app/config_keys.hpp"

namespace wildws::host {
namespace {

std::vector<ConfigKey> listenKeys(const std::string& port, bool workspace) {
    std::vector<ConfigKey> keys{
        {"port", port, "where to listen"},
        {"bind", "127.0.0.1", "the address to listen on"},
        {"allow_remote", "false", "must be true to bind anything but loopback"},
        {"host_names", "", "extra names accepted in the Host header"},
        {"threads", "64", "worker threads"},
        {"queue", "64", "accepted connections waiting (past it: 503 at once)"},
        {"timeout_seconds", "10", "socket timeout"},
        {"keepalive_seconds", "5", "idle keep-alive connection timeout"},
        {"keepalive_requests", "100", "requests per keep-alive connection"},
        {"max_body_bytes", "1048576", "larger bodies get 413, unread"},
        {"max_streams", "8", "concurrent streaming responses; past it 429"},
    };
    if (workspace) keys.push_back({"web_dir", "", "the page's files (default: next to the binary)"});
    return keys;
}

} // namespace

std::vector<std::string> hostSections() { return {"serve", "daemon", "plugins"}; }

const std::vector<ConfigKey>& hostKeys(const std::string& section) {
    static const std::vector<ConfigKey> serve = listenKeys("5173", true);
    static const std::vector<ConfigKey> daemon = listenKeys("5174", false);
    static const std::vector<ConfigKey> plugins{
        {"disable", "", "plugins never opened, comma separated"},
        {"dirs", "", "more plugin directories, comma separated, after the default ones"},
    };
    static const std::vector<ConfigKey> none;
    if (section == "serve") return serve;
    if (section == "daemon") return daemon;
    if (section == "plugins") return plugins;
    return none;
}

const ConfigKey& pluginEnabledKey() {
    static const ConfigKey key{"enabled", "true", "false: the plugin is never opened"};
    return key;
}

} // namespace wildws::host
