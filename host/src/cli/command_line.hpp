// Resolves the command from the words after the global options and parses
// its own options against the plugin's CommandSpec, the same way for every
// plugin. Every mistake is a UsageError with a suggestion.
#pragma once

#include "plugins/registry.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

struct ParsedCommand {
    const CommandEntry* entry = nullptr;
    std::map<std::string, std::string> values; // option -> value ("" for flags)
    std::map<std::string, std::string> positionals;
};

/// The longest registered command that the leading words of `args` spell.
/// Throws UsageError for an unknown command or a bare command group.
const CommandEntry& resolveCommand(const Registry& registry, const std::vector<std::string>& args,
                                   std::size_t& wordsUsed);

/// Parses args[wordsUsed..] against the command's spec.
ParsedCommand parseCommand(const CommandEntry& entry, const std::vector<std::string>& args, std::size_t wordsUsed);

/// Commands whose name starts with `prefix` + " " (a command group).
std::vector<const CommandEntry*> commandsUnder(const Registry& registry, const std::string& prefix);

} // namespace wildws::host
