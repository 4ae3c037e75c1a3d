#include "lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace wildws::supervisor {

std::optional<SupervisorLock> SupervisorLock::tryAcquire(const std::string& path) {
    for (int attempt = 0; attempt < 10; ++attempt) {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) return std::nullopt;
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            return std::nullopt;
        }
        // The holder removes the file when it stops. If that happened between
        // our open() and flock(), we locked an orphaned inode that nobody else
        // will ever look at: check that the path still names our inode.
        struct stat byFd {}, byPath {};
        if (::fstat(fd, &byFd) == 0 && ::stat(path.c_str(), &byPath) == 0 && byFd.st_dev == byPath.st_dev &&
            byFd.st_ino == byPath.st_ino)
            return SupervisorLock(path, fd);
        ::close(fd);
    }
    return std::nullopt;
}

bool SupervisorLock::heldByOther(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd); // also drops our shared lock if we got it
    return held;
}

SupervisorLock::SupervisorLock(SupervisorLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
    other.fd_ = -1;
}

SupervisorLock& SupervisorLock::operator=(SupervisorLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        path_ = std::move(other.path_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

SupervisorLock::~SupervisorLock() {
    if (fd_ >= 0) ::close(fd_);
}

void SupervisorLock::releaseAndRemove() {
    if (fd_ < 0) return;
    // Unlink while still holding the lock: a starter that opened the old
    // inode and locks it after we close sees the inode mismatch and retries
    // on a fresh file, so two supervisors can never hold two different files.
    ::unlink(path_.c_str());
    ::close(fd_);
    fd_ = -1;
}

} // namespace wildws::supervisor
