// wildws.ini plus overrides. Precedence, strongest first: --set KEY=VALUE on
// the command line, the WILDWS_SET environment variable ("KEY=VALUE" pairs
// separated by ';' or newlines), then the file. Keys are dotted:
// "serve.port", "plugin.agent.stall_seconds". Every value remembers where it
// came from (`wildws config check` prints it).
//
// The file: `[section]` headers and `key = value` lines; a line starting with
// ';' or '#' is a comment, and so is everything from a ';' or '#' that follows
// whitespace ("port = 6000   ; the owner's"). A value therefore cannot hold
// " ;" or " #". Anything else is refused with the file and line.
//
// The file is read like every state file (wildws::readStateFile): a regular
// file (a FIFO or /dev/zero is refused at once), yours or root's, not
// group/world-writable, at most 1 MiB; it may be a symlink to such a file.
#pragma once

#include <wildws/config.hpp>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wildws::host {

/// A config file that cannot be parsed; the message names the file and line.
class ConfigFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A config file that must not be trusted (unsafe owner/mode, not a regular
/// file, too large): one line naming the fix; exit code 1.
class UnsafeConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ConfigStore {
public:
    using Overrides = std::vector<std::pair<std::string, std::string>>;

    enum class Source { File, CommandLine, Environment };
    struct Value {
        std::string value;
        Source source = Source::File;
        int line = 0; // in the file, for Source::File
    };

    /// `file` may be missing unless `mustExist` (it was given with --config).
    ConfigStore(const std::string& file, bool mustExist, const Overrides& commandLine, const Overrides& environment);

    const std::string& file() const { return file_; }
    bool fileLoaded() const { return loaded_; }
    std::optional<std::string> get(const std::string& key) const;
    /// The winning value of `key` and where it came from.
    std::optional<Value> lookup(const std::string& key) const;
    /// Keys under `section`, without the "section." prefix.
    std::vector<std::string> keys(const std::string& section) const;
    /// Every key set anywhere (dotted), sorted.
    std::vector<std::string> allKeys() const;
    /// The file's sections as written, in order, with their header line.
    const std::vector<std::pair<std::string, int>>& fileSections() const { return sections_; }
    /// A view of one section, e.g. "plugin.agent"; lives as long as this store.
    std::unique_ptr<Config> section(const std::string& name) const;

    /// "wildws.ini:12", "--set", "WILDWS_SET": where a value came from.
    std::string describe(const Value& v) const;

    /// Parses "KEY=VALUE"; throws ConfigFileError naming `origin` when malformed.
    static std::pair<std::string, std::string> parseOverride(const std::string& text, const std::string& origin);
    static Overrides parseEnvironment(const char* value);

private:
    void parse(const std::string& text);

    std::string file_;
    bool loaded_ = false;
    std::map<std::string, Value> file_values_;
    std::map<std::string, Value> env_values_;
    std::map<std::string, Value> cli_values_;
    std::vector<std::pair<std::string, int>> sections_;
};

} // namespace wildws::host
