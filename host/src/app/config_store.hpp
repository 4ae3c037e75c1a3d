// wildws.ini plus overrides, through Poco::Util's layered configuration.
// Precedence, strongest first: --set KEY=VALUE on the command line, the
// WILDWS_SET environment variable ("KEY=VALUE" pairs separated by ';' or
// newlines), then the file. Keys are dotted: "serve.port",
// "plugin.agent.stall_seconds".
#pragma once

#include <wildws/config.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wildws::host {

/// A config file that cannot be used; the message names the file and line.
class ConfigFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ConfigStore {
public:
    using Overrides = std::vector<std::pair<std::string, std::string>>;

    /// `file` may be missing unless `mustExist` (it was given with --config).
    ConfigStore(const std::string& file, bool mustExist, const Overrides& commandLine, const Overrides& environment);

    const std::string& file() const { return file_; }
    bool fileLoaded() const { return loaded_; }
    std::optional<std::string> get(const std::string& key) const;
    std::vector<std::string> keys(const std::string& section) const;
    /// A view of one section, e.g. "plugin.agent"; lives as long as this store.
    std::unique_ptr<Config> section(const std::string& name) const;

    /// Parses "KEY=VALUE"; throws ConfigFileError naming `origin` when malformed.
    static std::pair<std::string, std::string> parseOverride(const std::string& text, const std::string& origin);
    static Overrides parseEnvironment(const char* value);

private:
    std::string file_;
    bool loaded_ = false;
    Poco::AutoPtr<Poco::Util::LayeredConfiguration> layers_;
};

} // namespace wildws::host
