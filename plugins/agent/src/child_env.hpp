// The environment an agent child gets: ours, minus anything that could carry
// a wildws secret (WILD_WORKSPACE_*, WILDWS_*, and [plugin.agent] scrub_env),
// plus what the backend asks for (filtered the same way). The agent's own
// credentials (ANTHROPIC_API_KEY, OPENAI_API_KEY, ...) pass through: it needs them.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wildws::agent {

/// `patterns`: exact names, or prefixes ending in '*'.
bool isScrubbed(const std::string& name, const std::vector<std::string>& patterns);

/// The default patterns plus `extra`.
std::vector<std::string> scrubPatterns(const std::vector<std::string>& extra);

/// "NAME=value" strings built from environ, scrubbed, with `add` applied last.
std::vector<std::string> childEnvironment(const std::vector<std::pair<std::string, std::string>>& add,
                                          const std::vector<std::string>& patterns);

} // namespace wildws::agent
