// The state directory: --home, else $WILD_WORKSPACE_HOME, else
// ~/.wild-workspace. Created 0700 when missing.
#pragma once

#include <string>

namespace wildws::host {

/// Throws std::runtime_error with one line when it cannot be made.
std::string resolveHome(const std::string& fromFlag);

} // namespace wildws::host
