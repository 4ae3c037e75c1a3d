// supervisor.lock: the single-instance lock. An flock on a file opened with
// O_CLOEXEC, so no child (serve, daemon, an agent CLI under them) inherits
// the fd and keeps the lock alive after the supervisor is gone (A21). The
// kernel drops it when the holder dies, even by SIGKILL, so the next start
// wins without trusting any pid file.
#pragma once

#include <optional>
#include <string>

namespace wildws::supervisor {

class SupervisorLock {
public:
    /// Takes the lock without waiting; nullopt when another process holds it.
    static std::optional<SupervisorLock> tryAcquire(const std::string& path);
    /// Whether some other open file holds the lock right now. Takes a shared
    /// lock for a moment to find out, so a supervisor starting at that very
    /// instant must retry (tryAcquireFor does).
    static bool heldByOther(const std::string& path);

    SupervisorLock(SupervisorLock&& other) noexcept;
    SupervisorLock& operator=(SupervisorLock&& other) noexcept;
    SupervisorLock(const SupervisorLock&) = delete;
    SupervisorLock& operator=(const SupervisorLock&) = delete;
    ~SupervisorLock();

    /// Removes the file, then drops the lock (in that order: see lock.cpp).
    void releaseAndRemove();
    int fd() const { return fd_; }

private:
    SupervisorLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::string path_;
    int fd_ = -1;
};

} // namespace wildws::supervisor
