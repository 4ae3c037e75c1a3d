// Runs one command line against the loaded plugins.
#pragma once

#include "cli/global_options.hpp"
#include "plugins/plugin_host.hpp"

#include <ostream>

namespace wildws::host {

/// What the host knows about plugins it did not load, for a command that
/// names one: "'agent' comes from the agent plugin, which is disabled ...".
struct CommandHints {
    std::vector<std::string> pluginFiles; // names of every wildws-<name>.so found
    std::vector<std::string> pluginDirs;
};

int runCommandLine(PluginHost& plugins, const HostInfo& host, const GlobalOptions& options, std::ostream& out,
                   std::ostream& err, const CommandHints& hints = {});

/// "'agent' comes from the agent plugin, which is disabled in ..." when the
/// first word names a command group of a first-party plugin that is not
/// loaded; nullopt otherwise.
std::optional<std::string> unavailableCommand(const PluginHost& plugins, const std::vector<std::string>& words,
                                              const CommandHints& hints);

/// The command's leading words in `args` (up to the first option).
std::vector<std::string> commandWords(const std::vector<std::string>& args);

} // namespace wildws::host
