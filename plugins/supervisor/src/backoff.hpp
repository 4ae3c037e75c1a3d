// The delay before a child is spawned again after it exited: `start`,
// doubling on every consecutive failure, never above `cap`, back to `start`
// once a child has stayed healthy long enough (the caller decides when and
// calls reset()). Pure: no clock inside, so the sequence is unit-tested.
#pragma once

#include <chrono>

namespace wildws::supervisor {

class Backoff {
public:
    Backoff(std::chrono::milliseconds start, std::chrono::milliseconds cap);
    /// The delay to wait now; the one after it doubles (up to the cap).
    std::chrono::milliseconds next();
    /// The delay next() would return, without consuming it.
    std::chrono::milliseconds peek() const { return current_; }
    void reset() { current_ = start_; }

private:
    std::chrono::milliseconds start_;
    std::chrono::milliseconds cap_;
    std::chrono::milliseconds current_;
};

} // namespace wildws::supervisor
