#include "request_file.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>

#include <wildws/secure.hpp>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace wildws::supervisor {
namespace {

std::string dirOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string nameOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

Placed placeRequest(const std::string& path, const std::string& content) {
    // The temp name starts with '.', so the watcher (which matches exact
    // names) never mistakes it for the request itself.
    std::string temp = dirOf(path) + "/." + nameOf(path) + "." + randomToken(8);
    writeFileAtomic(temp, content);
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return Placed::Yes;
    int err = errno;
    if (err == EINVAL || err == ENOSYS) {
        // A filesystem without RENAME_NOREPLACE: link() is also atomic and
        // refuses an existing target.
        if (::link(temp.c_str(), path.c_str()) == 0) {
            ::unlink(temp.c_str());
            return Placed::Yes;
        }
        err = errno;
    }
    ::unlink(temp.c_str());
    if (err == EEXIST) return Placed::AlreadyPending;
    throw std::system_error(err, std::generic_category(), "cannot place " + path);
}

std::optional<std::string> takeRequest(const std::string& path) {
    std::string taken = dirOf(path) + "/." + nameOf(path) + ".taken." + std::to_string(::getpid());
    if (::rename(path.c_str(), taken.c_str()) != 0) return std::nullopt;
    auto text = readWholeFile(taken);
    ::unlink(taken.c_str());
    return text.value_or("");
}

} // namespace wildws::supervisor
