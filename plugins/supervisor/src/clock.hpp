// Two clocks, never mixed: every timer (backoff, crash-loop window, health
// interval, grace) runs on the monotonic clock so a wall-clock jump cannot
// shorten or stretch it; wall time (common::nowMs()) is only recorded for people
// to read.
#pragma once

#include <wildws/common/clock.hpp>

#include <chrono>
#include <cstdint>

namespace wildws::supervisor {

using Mono = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

inline std::int64_t msBetween(Mono::time_point from, Mono::time_point to) {
    return std::chrono::duration_cast<ms>(to - from).count();
}

} // namespace wildws::supervisor
