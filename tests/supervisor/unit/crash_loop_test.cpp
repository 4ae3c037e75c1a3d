#include "crash_loop.hpp"

#include <catch2/catch.hpp>

using namespace wildws::supervisor;
using std::chrono::milliseconds;
using Clock = CrashLoop::Clock;

TEST_CASE("supervisor crash loop is fatal at exactly the K-th unhealthy start", "[supervisor][crashloop]") {
    for (std::size_t k : {1u, 2u, 5u, 10u}) {
        CrashLoop loop(k, milliseconds(60000));
        auto t = Clock::time_point{} + milliseconds(1000000);
        std::size_t fatalAt = 0;
        for (std::size_t start = 1; start <= k + 3 && !fatalAt; ++start) {
            if (loop.recordUnhealthy(t, t + milliseconds(10))) fatalAt = start;
            t += milliseconds(500);
        }
        CHECK(fatalAt == k);
    }
}

TEST_CASE("supervisor crash loop forgets starts older than the window", "[supervisor][crashloop]") {
    CrashLoop loop(3, milliseconds(10000));
    auto t0 = Clock::time_point{} + milliseconds(1000000);
    CHECK_FALSE(loop.recordUnhealthy(t0, t0));
    CHECK_FALSE(loop.recordUnhealthy(t0 + milliseconds(1000), t0 + milliseconds(1000)));
    // The first start is now 10.001 s old: out of the window, so this third one is only the second.
    CHECK_FALSE(loop.recordUnhealthy(t0 + milliseconds(10001), t0 + milliseconds(10001)));
    CHECK(loop.count(t0 + milliseconds(10001)) == 2);
    CHECK(loop.recordUnhealthy(t0 + milliseconds(10500), t0 + milliseconds(10500)));
}

TEST_CASE("supervisor crash loop counts a start exactly W old as inside", "[supervisor][crashloop]") {
    CrashLoop loop(2, milliseconds(10000));
    auto t0 = Clock::time_point{} + milliseconds(1000000);
    CHECK_FALSE(loop.recordUnhealthy(t0, t0));
    CHECK(loop.recordUnhealthy(t0 + milliseconds(10000), t0 + milliseconds(10000)));
}

TEST_CASE("supervisor crash loop window is measured from start times", "[supervisor][crashloop]") {
    // A start that began inside the window counts even if it ran a while.
    CrashLoop loop(2, milliseconds(5000));
    auto t0 = Clock::time_point{} + milliseconds(1000000);
    CHECK_FALSE(loop.recordUnhealthy(t0, t0 + milliseconds(4000)));
    CHECK(loop.recordUnhealthy(t0 + milliseconds(4500), t0 + milliseconds(4900)));
}

TEST_CASE("supervisor crash loop clear starts the count over", "[supervisor][crashloop]") {
    CrashLoop loop(2, milliseconds(60000));
    auto t0 = Clock::time_point{} + milliseconds(1000000);
    CHECK_FALSE(loop.recordUnhealthy(t0, t0));
    loop.clear();
    CHECK_FALSE(loop.recordUnhealthy(t0 + milliseconds(1), t0 + milliseconds(1)));
    CHECK(loop.recordUnhealthy(t0 + milliseconds(2), t0 + milliseconds(2)));
}
