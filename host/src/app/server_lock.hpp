// One server per home and role: `serve` holds <home>/serve.lock, `daemon`
// <home>/daemon.lock (flock, LOCK_EX, for the whole process life; the fd is
// O_CLOEXEC so no child keeps it). Only the holder writes or removes the
// pid file, so a second server can never overwrite or delete it.
#pragma once

#include <optional>
#include <string>

namespace wildws::host {

class ServerLock {
public:
    ServerLock() = default;
    ~ServerLock();
    ServerLock(ServerLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    ServerLock& operator=(ServerLock&&) = delete;
    ServerLock(const ServerLock&) = delete;

    /// Takes the lock at `path`; nullopt with `error` set when another
    /// process holds it or the file is unsafe (a symlink, not a regular file).
    static std::optional<ServerLock> acquire(const std::string& path, std::string& error);

private:
    explicit ServerLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

} // namespace wildws::host
