#include "app/server_lock.hpp"

#include <wildws/secure.hpp>

#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wildws::host {

ServerLock::~ServerLock() {
    if (fd_ >= 0) ::close(fd_); // releases the flock
}

std::optional<ServerLock> ServerLock::acquire(const std::string& path, std::string& error) {
    // Same checks as any state file we append to: no symlink, regular, ours, 0600.
    auto file = openAppendFile(path);
    if (!file.ok()) {
        error = file.error;
        return std::nullopt;
    }
    if (::flock(file.fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        ::close(file.fd);
        error = e == EWOULDBLOCK ? "held" : std::string("cannot lock ") + path + ": " + std::strerror(e);
        return std::nullopt;
    }
    return ServerLock(file.fd);
}

} // namespace wildws::host
