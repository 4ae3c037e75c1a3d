// wildws SDK - read-only configuration.
//
// ctx.config() is this plugin's section of wildws.ini, `[plugin.<name>]`,
// with environment and command-line overrides already applied by the host.
// Keys are given without the section prefix: config().getInt("max_minutes").
#pragma once

#include <wildws/export.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wildws {

/// Thrown by the typed getters when a value is present but malformed. The
/// message names the key and the value, e.g.
/// "[plugin.consent] max_minutes = 'ten': expected a whole number".
class WILDWS_EXPORT ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~ConfigError() override;
};

/// A key a plugin reads from its section, declared in PluginInfo::configKeys
/// (ABI 2) so that the host can warn about a typo ("unknown key 'stal_seconds'
/// in [plugin.agent] - did you mean 'stall_seconds'?") and
/// `wildws config check` can show the default of a key nobody set.
struct ConfigKey {
    std::string name;         // "stall_seconds", as passed to get()
    std::string defaultValue; // as text, "" when there is none
    std::string help;         // one line
};

class WILDWS_EXPORT Config {
public:
    virtual ~Config();
    /// The raw value, or nullopt when the key is not set.
    virtual std::optional<std::string> get(const std::string& key) const = 0;
    /// Every key set in this section.
    virtual std::vector<std::string> keys() const = 0;
    /// "[plugin.<name>]", for error messages.
    virtual std::string section() const = 0;

    std::string getString(const std::string& key, const std::string& fallback) const;
    long long getInt(const std::string& key, long long fallback) const;       // throws ConfigError
    bool getBool(const std::string& key, bool fallback) const;                // true/false/yes/no/on/off/1/0
    std::vector<std::string> getList(const std::string& key) const;           // comma separated, trimmed
};

} // namespace wildws
