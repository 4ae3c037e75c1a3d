#include "app/home.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace wildws::host {
namespace {

void makeDirs(const std::string& path) {
    for (std::size_t pos = 1;; ++pos) {
        pos = path.find('/', pos);
        std::string part = path.substr(0, pos);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create the wildws home " + path + ": " + std::strerror(errno) +
                                     " - pass --home DIR or set WILD_WORKSPACE_HOME to a writable directory");
        if (pos == std::string::npos) break;
    }
}

} // namespace

std::string resolveHome(const std::string& fromFlag) {
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
    struct stat st {};
    if (::stat(home.c_str(), &st) != 0) makeDirs(home);
    else if (!S_ISDIR(st.st_mode))
        throw std::runtime_error("the wildws home " + home + " is not a directory - pass --home DIR");
    return home;
}

} // namespace wildws::host
