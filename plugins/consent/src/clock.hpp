// The consent plugin's clock: wall time for grants and audit timestamps,
// monotonic time for the "first seen + maximum" bound on a live grant.
//
// TEST HOOK: WILDWS_TEST_NOW_MS=<ms since the epoch> pins the wall clock of
// this plugin (and only this plugin) in the process that has it set, so the
// integration tests can grant "now", then check status "61 minutes later"
// without sleeping. It cannot widen a grant beyond the policy (the maximum
// span and the future-start check still apply), every process that uses it
// logs that it did, and `wildws support status` says so on its last line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace wildws::consent {

class Clock {
public:
    virtual ~Clock() = default;
    /// Wall clock, ms since the epoch.
    virtual std::int64_t nowMs() const = 0;
    /// A clock that never jumps, in ms from an arbitrary start.
    virtual std::int64_t monotonicMs() const = 0;
    /// Non-empty when this is not the real clock: one line saying so.
    virtual std::string note() const { return {}; }
};

class SystemClock : public Clock {
public:
    std::int64_t nowMs() const override;
    std::int64_t monotonicMs() const override;
};

/// Fixed wall time (tests): set() and advance() move both clocks.
class ManualClock : public Clock {
public:
    explicit ManualClock(std::int64_t nowMs) : now_(nowMs) {}
    std::int64_t nowMs() const override { return now_; }
    std::int64_t monotonicMs() const override { return mono_; }
    std::string note() const override { return note_; }
    void advance(std::int64_t ms) {
        now_ += ms;
        mono_ += ms;
    }
    /// Moves only the wall clock (a clock jump).
    void jumpWall(std::int64_t ms) { now_ += ms; }
    void setNote(std::string n) { note_ = std::move(n); }

private:
    std::int64_t now_;
    std::int64_t mono_ = 0;
    std::string note_;
};

constexpr const char* kTestNowEnv = "WILDWS_TEST_NOW_MS";

struct ClockChoice {
    std::shared_ptr<Clock> clock;
    /// Set when the environment asked for something: what was done, for the log.
    std::string logLine;
    bool warn = false; // the value was malformed and ignored
};

/// The system clock, or a pinned one when `envValue` (the value of
/// WILDWS_TEST_NOW_MS, null when unset) is a whole number of ms.
ClockChoice clockFromEnvironment(const char* envValue);

} // namespace wildws::consent
