// wildws::common clock: ms since the epoch and ISO 8601 UTC both ways.
#include <wildws/common/clock.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

namespace c = wildws::common;

TEST_CASE("common clock: wall and monotonic ms move forward", "[common][clock]") {
    auto wall = c::nowMs();
    CHECK(wall > 1600000000000); // after 2020
    auto mono = c::monotonicMs();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(c::monotonicMs() >= mono + 5);
}

TEST_CASE("common clock: ISO 8601 UTC text, with and without ms", "[common][clock]") {
    CHECK(c::isoUtc(0) == "1970-01-01T00:00:00.000Z");
    CHECK(c::isoUtc(1700000000123) == "2023-11-14T22:13:20.123Z");
    CHECK(c::isoUtc(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(c::isoUtcSeconds(1700000000999) == "2023-11-14T22:13:20Z");
    CHECK(c::isoUtc(951782400000) == "2000-02-29T00:00:00.000Z");
}

TEST_CASE("common clock: a duration reads as whole seconds or as ms", "[common][clock]") {
    CHECK(c::durationText(5000) == "5 s");
    CHECK(c::durationText(0) == "0 s");
    CHECK(c::durationText(250) == "250 ms");
    CHECK(c::durationText(1500) == "1500 ms");
}

TEST_CASE("common clock: ISO 8601 UTC is parsed back, and anything else is refused", "[common][clock]") {
    CHECK(c::parseIsoUtc("1970-01-01T00:00:00Z") == 0);
    CHECK(c::parseIsoUtc("2023-11-14T22:13:20.123Z") == 1700000000123);
    CHECK(c::parseIsoUtc("2023-11-14T22:13:20.1Z") == 1700000000100);
    CHECK(c::parseIsoUtc("2023-11-14T22:13:20.123456Z") == 1700000000123);
    CHECK(c::parseIsoUtc("2023-11-14 22:13:20z") == 1700000000000);
    CHECK(c::parseIsoUtc("2000-02-29T00:00:00.000Z") == 951782400000);
    for (auto ms : {std::int64_t(0), std::int64_t(1700000000123), std::int64_t(4102444799999)})
        CHECK(c::parseIsoUtc(c::isoUtc(ms)) == ms);
    CHECK_FALSE(c::parseIsoUtc(""));
    CHECK_FALSE(c::parseIsoUtc("2023-11-14T22:13:20"));       // no zone
    CHECK_FALSE(c::parseIsoUtc("2023-11-14T22:13:20+01:00")); // only Z
    CHECK_FALSE(c::parseIsoUtc("2023-02-29T00:00:00Z"));      // not a leap year
    CHECK_FALSE(c::parseIsoUtc("2023-13-01T00:00:00Z"));
    CHECK_FALSE(c::parseIsoUtc("2023-11-14T24:00:00Z"));
    CHECK_FALSE(c::parseIsoUtc("2023-11-14T22:13:20.Z"));
    CHECK_FALSE(c::parseIsoUtc("2023-11-14T22:13:20Zjunk"));
    CHECK_FALSE(c::parseIsoUtc("20x3-11-14T22:13:20Z"));
}
