// The state directory: --home, else $WILD_WORKSPACE_HOME, else
// ~/.wild-workspace. Checked like plugin files before anything in it is
// trusted: a real directory (or a symlink of yours to one), owned by you,
// not group/world-writable - otherwise another user could plant a
// wildws.ini (and so an agent command line) or a grant in it.
#pragma once

#include <stdexcept>
#include <string>

namespace wildws::host {

/// The home cannot be trusted: one line naming the fix; exit code 1.
class UnsafeHomeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The absolute home path. When it does not exist it is created 0700 if
/// `create` (read-only commands pass false and leave it missing). Throws
/// UnsafeHomeError when it exists but is unsafe, std::runtime_error when it
/// cannot be made.
std::string resolveHome(const std::string& fromFlag, bool create);

} // namespace wildws::host
