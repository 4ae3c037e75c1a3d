#include "plugins/command_owners.hpp"

#include <utility>

namespace wildws::host {
namespace {

// The first word of every command each first-party plugin registers.
const std::pair<const char*, const char*> kGroups[] = {
    {"agent", "agent"},
    {"support", "consent"},
    {"operator", "consent"},
    {"always-on", "supervisor"},
    {"relay", "relay"},
    {"remote", "relay"},
    {"doctor", "doctor"},
};

// Commands whose plugin is not the one their first word names.
const std::pair<const char*, const char*> kOwnedApart[] = {
    {"support answer", "support_api"},
};

// Read-only commands that use only their own plugin (and host services).
const std::pair<const char*, const char*> kStandalone[] = {
    {"support status", "consent"},
    {"support audit", "consent"},
    {"operator status", "consent"},
};

// Optional plugins whose services a standalone command's report reads
// (when they are configured at all).
const std::pair<const char*, const char*> kCompanions[] = {
    {"support status", "relay"},
};

} // namespace

std::optional<std::string> firstPartyCommandOwner(const std::string& word) {
    for (auto& [w, plugin] : kGroups)
        if (word == w) return std::string(plugin);
    return std::nullopt;
}

std::optional<std::string> firstPartyOwnerOf(const std::string& command) {
    for (auto& [c, plugin] : kOwnedApart)
        if (command == c || command.rfind(std::string(c) + " ", 0) == 0) return std::string(plugin);
    return firstPartyCommandOwner(command.substr(0, command.find(' ')));
}

std::optional<std::string> standaloneCommandOwner(const std::string& command) {
    for (auto& [c, plugin] : kStandalone)
        if (command == c) return std::string(plugin);
    return std::nullopt;
}

std::vector<std::string> standaloneCompanions(const std::string& command,
                                              const std::function<bool(const std::string&)>& configured) {
    std::vector<std::string> out;
    for (auto& [c, plugin] : kCompanions)
        if (command == c && configured(plugin)) out.emplace_back(plugin);
    return out;
}

} // namespace wildws::host
