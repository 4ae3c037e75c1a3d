// wildws SDK - CLI commands contributed by plugins.
//
// A command is a space-separated path ("support allow", "agent run"). The
// host parses argv itself, for every plugin the same way: `--name VALUE`,
// `--name=VALUE`, flags, `--` ends options. An unknown command or option, a
// missing value or a value outside `choices` is refused by the host with one
// line and a suggestion, exit 2, before run() is called. Semantic checks
// (ranges, formats) are the plugin's: print one line to err() and return 2.
#pragma once

#include <wildws/export.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace wildws {

struct OptionSpec {
    std::string name;        // "tier" for --tier
    std::string valueName;   // "N"; empty makes a flag that takes no value
    std::string help;
    std::vector<std::string> choices; // non-empty: the value must be one of them
    /// May be given more than once: value() is then every value, in the
    /// order given, joined by '\n'. Otherwise the last one given wins.
    bool repeatable = false;
};

struct PositionalSpec {
    std::string name;        // "PROMPT"
    std::string help;
    bool required = true;
    bool rest = false;       // takes every remaining word (joined by spaces)
};

/// What the host hands run(): the parsed, validated arguments.
class WILDWS_EXPORT Invocation {
public:
    virtual ~Invocation();
    virtual bool flag(const std::string& name) const = 0;
    virtual std::optional<std::string> value(const std::string& name) const = 0;
    virtual std::optional<std::string> positional(const std::string& name) const = 0;
    virtual std::ostream& out() = 0;
    virtual std::ostream& err() = 0;
    /// SIGINT or SIGTERM arrived. Long commands poll this (or wait on it) and
    /// return 130 after cleaning up.
    virtual bool interrupted() const = 0;
    /// Sleeps up to `d`; returns true early when interrupted.
    virtual bool waitInterrupted(std::chrono::milliseconds d) const = 0;
};

/// The exit code: 0 success, 1 failure, 2 bad usage, 130 interrupted.
using CommandHandler = std::function<int(Invocation&)>;

struct CommandSpec {
    std::string name;     // "support allow"
    std::string summary;  // one line for `wildws --help`
    std::vector<OptionSpec> options;
    std::vector<PositionalSpec> positionals;
    CommandHandler run;
    /// The host puts "wildws: <command>: " before every line the command
    /// writes to err(), so a plugin's errors read like the host's. A command
    /// that relays another program's stderr as it is (a remote shell, an
    /// agent's own terminal) sets this: its err() is then passed through
    /// untouched, and it prefixes its own error lines itself.
    bool rawStderr = false;
};

} // namespace wildws
