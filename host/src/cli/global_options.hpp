// Global options, accepted anywhere before `--`: they are taken out of argv
// before the command is looked up, because plugins (and so commands) can only
// be loaded once --plugins-dir, --home and --config are known.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wildws::host {

struct GlobalOptions {
    std::vector<std::string> pluginDirs;
    std::string home;
    std::string config;
    std::string logLevel;
    std::vector<std::string> sets; // --set SECTION.KEY=VALUE
    bool help = false;
    bool version = false;
    bool json = false; // --json before the command: given to the command as its own --json
    std::vector<std::string> rest; // the command and its own arguments
};

/// Throws UsageError for a global option missing its value.
GlobalOptions extractGlobalOptions(const std::vector<std::string>& args);

/// The help text for the global options, one per line.
std::string globalOptionsHelp();

} // namespace wildws::host
