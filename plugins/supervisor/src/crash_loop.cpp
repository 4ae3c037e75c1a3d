#include "crash_loop.hpp"

#include <algorithm>

namespace wildws::supervisor {

CrashLoop::CrashLoop(std::size_t starts, std::chrono::milliseconds window)
    : limit_(std::max<std::size_t>(starts, 1)), window_(window) {}

void CrashLoop::expire(Clock::time_point now) {
    // A start counts while it began no more than W ago: [now - W, now].
    while (!starts_.empty() && now - starts_.front() > window_) starts_.pop_front();
}

bool CrashLoop::recordUnhealthy(Clock::time_point startedAt, Clock::time_point now) {
    starts_.push_back(startedAt);
    expire(now);
    return starts_.size() >= limit_;
}

std::size_t CrashLoop::count(Clock::time_point now) {
    expire(now);
    return starts_.size();
}

} // namespace wildws::supervisor
