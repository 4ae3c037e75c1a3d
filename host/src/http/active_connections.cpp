#include "http/active_connections.hpp"

#include <sys/socket.h>

namespace wildws::host {

void ActiveConnections::enter(int fd) {
    std::lock_guard lock(mutex_);
    entries_[fd] = Entry{};
}

void ActiveConnections::leave(int fd) {
    std::lock_guard lock(mutex_);
    entries_.erase(fd);
}

void ActiveConnections::arm(int fd, Clock::time_point deadline) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(fd);
    if (it != entries_.end()) it->second.deadline = deadline;
}

void ActiveConnections::disarm(int fd) { arm(fd, Clock::time_point::max()); }

bool ActiveConnections::fired(int fd) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(fd);
    return it != entries_.end() && it->second.fired;
}

void ActiveConnections::sweep(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    for (auto& [fd, e] : entries_)
        if (!e.fired && e.deadline <= now) {
            e.fired = true;
            ::shutdown(fd, SHUT_RD); // a blocked recv returns 0 at once
        }
}

void ActiveConnections::abortAll() {
    std::lock_guard lock(mutex_);
    for (auto& [fd, e] : entries_) ::shutdown(fd, SHUT_RDWR);
}

} // namespace wildws::host
