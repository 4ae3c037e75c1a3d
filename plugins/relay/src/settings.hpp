// How to reach the broker: the keys shared by the daemon's [plugin.relay] and
// the engineer's [remote] section (and `wildws remote` options), checked in
// one place. Secrets are never values here, only paths to 0600 files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wildws::relay {

struct BrokerSettings {
    std::string url;          // "" when not configured
    std::string credsFile;    // one of these four credentials (or none)
    std::string nkeySeedFile;
    std::string user;
    std::string passwordFile;
    std::string tokenFile;
    std::string caFile;
    bool allowInsecure = false;
    /// The url uses TLS: tls:// or a ca_file (which turns TLS on).
    bool tls() const;
    /// The url with any user:password@ removed (for logs and status).
    std::string displayUrl() const;
};

/// A key lookup: the value, or nullopt when not set.
using KeyLookup = std::function<std::optional<std::string>(const std::string& key)>;

struct ParsedBroker {
    BrokerSettings settings;
    std::string error; // one line (what, why, what to do); "" when fine
};

/// Reads and checks the broker keys of `section` ("[plugin.relay]", "[remote]").
/// Refused, with one line: a url that is not nats:// or tls://, credentials
/// inside the url, a non-loopback nats:// without TLS unless allow_insecure,
/// more than one kind of credentials, user without password_file (or the
/// reverse), a relative path, a secret given inline (password, token, seed).
ParsedBroker parseBroker(const KeyLookup& get, const std::string& section);

/// The host of a nats:// or tls:// url ("" when it has none).
std::string urlHost(const std::string& url);
bool isLoopbackHost(const std::string& host);

/// Every problem with a file that holds a secret, as one line, or nullopt:
/// it must exist, be a regular file owned by this user with no group or
/// other permission bits; a symlink is followed only to a file of ours.
std::optional<std::string> checkSecretFile(const std::string& path, const std::string& what);
/// Reads a checked secret file, trimmed of surrounding whitespace. Throws
/// std::runtime_error with the check's line.
std::string readSecretFile(const std::string& path, const std::string& what);
/// Checks every credential file named by `s` (and that the ca_file is
/// readable); the first problem as one line, or nullopt.
std::optional<std::string> checkBrokerFiles(const BrokerSettings& s);

/// The daemon's [plugin.relay] section: the broker plus its own keys.
struct RelaySettings {
    BrokerSettings broker;
    int requesterTimeoutSeconds = 15;
    std::string error; // "" when usable (or not configured)
    bool configured() const { return error.empty() && !broker.url.empty(); }
};
/// Unknown keys are the host's to report (PluginInfo::configKeys).
RelaySettings parseRelaySettings(const KeyLookup& get);

inline constexpr const char* kRelaySection = "[plugin.relay]";
inline constexpr int kDefaultRequesterTimeout = 15;

} // namespace wildws::relay
