#include "backoff.hpp"

#include <algorithm>

namespace wildws::supervisor {

Backoff::Backoff(std::chrono::milliseconds start, std::chrono::milliseconds cap)
    : start_(std::max(start, std::chrono::milliseconds(0))), cap_(std::max(cap, start_)), current_(start_) {}

std::chrono::milliseconds Backoff::next() {
    auto now = current_;
    // Doubling a value already at the cap (or zero) must not overflow or stall above it.
    current_ = current_ >= cap_ / 2 ? cap_ : current_ * 2;
    if (current_ == std::chrono::milliseconds(0)) current_ = std::min(cap_, std::chrono::milliseconds(1));
    return now;
}

} // namespace wildws::supervisor
