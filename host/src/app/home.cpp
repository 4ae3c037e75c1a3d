#include "app/home.hpp"

#include <wildws/secure.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

namespace wildws::host {

std::string resolveHome(const std::string& fromFlag, bool create) {
    std::string home = fromFlag;
    if (home.empty())
        if (const char* env = std::getenv("WILD_WORKSPACE_HOME"); env && *env) home = env;
    if (home.empty()) {
        const char* user = std::getenv("HOME");
        if (!user || !*user)
            throw std::runtime_error("cannot tell where the wildws home is: HOME is not set - pass --home DIR");
        home = std::string(user) + "/.wild-workspace";
    }
    if (home[0] != '/') {
        char* cwd = ::getcwd(nullptr, 0);
        if (cwd) {
            home = std::string(cwd) + "/" + home;
            std::free(cwd);
        }
    }
    while (home.size() > 1 && home.back() == '/') home.pop_back();

    // A symlink of yours may point the home elsewhere; the directory it
    // points to gets every check.
    std::string checked = home;
    struct stat lst {};
    if (::lstat(home.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
        if (lst.st_uid != ::geteuid())
            throw UnsafeHomeError("refusing the wildws home: " + home + " is a symbolic link owned by uid " +
                                  std::to_string(lst.st_uid) + ", not by you - remove it, or pass --home DIR");
        char buf[PATH_MAX];
        if (::realpath(home.c_str(), buf)) checked = buf;
    }
    auto dir = ensurePrivateDir(checked, create);
    if (dir.problem == FileProblem::Missing && !create) return home;
    if (dir.problem == FileProblem::Io)
        throw std::runtime_error("cannot create the wildws home " + home + ": " + dir.error +
                                 " - pass --home DIR or set WILD_WORKSPACE_HOME to a writable directory");
    if (!dir.ok()) throw UnsafeHomeError("refusing the wildws home: " + dir.error);
    return home;
}

} // namespace wildws::host
