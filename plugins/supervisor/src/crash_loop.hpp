// Crash-loop detection, counted exactly: a child that exits before it ever
// became healthy adds its START time here; once K such starts fall within
// the last W, the child is fatal. systemd's StartLimitBurst test asserts
// "exactly N runs, then no more"; this class is what makes the K-th
// unhealthy exit (never the K+1-th) the last one. A start that becomes
// healthy clears the history (supervisord's startretries works the same:
// the count is of consecutive failed starts).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>

namespace wildws::supervisor {

class CrashLoop {
public:
    using Clock = std::chrono::steady_clock;
    CrashLoop(std::size_t starts, std::chrono::milliseconds window);

    /// A start (begun at `startedAt`) ended at `now` without becoming healthy.
    /// True when this makes K unhealthy starts within the window: fatal.
    bool recordUnhealthy(Clock::time_point startedAt, Clock::time_point now);
    /// How many unhealthy starts are still inside the window at `now`.
    std::size_t count(Clock::time_point now);
    void clear() { starts_.clear(); }
    std::size_t limit() const { return limit_; }
    std::chrono::milliseconds window() const { return window_; }

private:
    void expire(Clock::time_point now);
    std::size_t limit_;
    std::chrono::milliseconds window_;
    std::deque<Clock::time_point> starts_;
};

} // namespace wildws::supervisor
