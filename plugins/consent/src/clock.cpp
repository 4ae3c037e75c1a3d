#include "clock.hpp"

#include <wildws/common/clock.hpp>

#include <charconv>
#include <cstring>

namespace wildws::consent {

std::int64_t SystemClock::nowMs() const { return common::nowMs(); }

std::int64_t SystemClock::monotonicMs() const { return common::monotonicMs(); }

namespace {

// The pinned wall clock still has a real monotonic clock.
class PinnedClock : public SystemClock {
public:
    explicit PinnedClock(std::int64_t now) : now_(now) {}
    std::int64_t nowMs() const override { return now_; }
    std::string note() const override {
        return std::string("pinned by the test hook ") + kTestNowEnv + "=" + std::to_string(now_);
    }

private:
    std::int64_t now_;
};

} // namespace

ClockChoice clockFromEnvironment(const char* envValue) {
    ClockChoice choice;
    if (!envValue || !*envValue) {
        choice.clock = std::make_shared<SystemClock>();
        return choice;
    }
    std::int64_t value = 0;
    const char* end = envValue + std::strlen(envValue);
    auto [ptr, ec] = std::from_chars(envValue, end, value);
    if (ec != std::errc() || ptr != end || value <= 0) {
        choice.clock = std::make_shared<SystemClock>();
        choice.logLine = std::string(kTestNowEnv) + " = '" + envValue +
                         "' is not a whole number of ms since the epoch; using the real clock";
        choice.warn = true;
        return choice;
    }
    choice.clock = std::make_shared<PinnedClock>(value);
    choice.logLine = std::string("test hook: ") + kTestNowEnv + "=" + std::to_string(value) +
                     " pins the consent clock (never set this outside tests)";
    return choice;
}

} // namespace wildws::consent
