// The connections workers are serving right now, so that a body that
// trickles past its deadline is cut off (its read side shut down, which
// wakes the blocked read) and a stop can abort them all.
#pragma once

#include <chrono>
#include <mutex>
#include <unordered_map>

namespace wildws::host {

class ActiveConnections {
public:
    using Clock = std::chrono::steady_clock;
    void enter(int fd);
    void leave(int fd);
    /// The reads of `fd` must be done by `deadline`; disarm() when they are.
    void arm(int fd, Clock::time_point deadline);
    void disarm(int fd);
    /// True once the deadline of `fd` cut its reads off.
    bool fired(int fd) const;
    /// Shuts the read side of every connection past its deadline.
    void sweep(Clock::time_point now);
    /// Shuts down every connection (server stop).
    void abortAll();

private:
    struct Entry {
        Clock::time_point deadline = Clock::time_point::max();
        bool fired = false;
    };
    mutable std::mutex mutex_;
    std::unordered_map<int, Entry> entries_;
};

} // namespace wildws::host
