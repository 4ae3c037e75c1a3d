// The environment an agent child gets: ours, minus anything that could carry
// a wildws secret (WILD_WORKSPACE_*, WILDWS_*, and [plugin.agent] scrub_env),
// plus what the backend asks for (filtered the same way). The agent's own
// credentials (ANTHROPIC_API_KEY, OPENAI_API_KEY, ...) pass through: it needs
// them. The mechanics are the SDK's (wildws::childEnvironment); the policy -
// which names - is ours.
#pragma once

#include <wildws/process.hpp>

#include <string>
#include <utility>
#include <vector>

namespace wildws::agent {

/// `patterns`: exact names, or prefixes ending in '*'.
inline bool isScrubbed(const std::string& name, const std::vector<std::string>& patterns) {
    return nameMatches(name, patterns);
}

/// The default patterns plus `extra`.
std::vector<std::string> scrubPatterns(const std::vector<std::string>& extra);

/// "NAME=value" strings built from environ, scrubbed, with `add` applied last.
inline std::vector<std::string> childEnvironment(const std::vector<std::pair<std::string, std::string>>& add,
                                                 const std::vector<std::string>& patterns) {
    return wildws::childEnvironment(patterns, add);
}

} // namespace wildws::agent
