#include "backoff.hpp"

#include <catch2/catch.hpp>

using namespace wildws::supervisor;
using std::chrono::milliseconds;

TEST_CASE("supervisor backoff starts at 500 ms and doubles to the 30 s cap", "[supervisor][backoff]") {
    Backoff b(milliseconds(500), milliseconds(30000));
    std::vector<long> seen;
    for (int i = 0; i < 10; ++i) seen.push_back(static_cast<long>(b.next().count()));
    CHECK(seen == std::vector<long>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000});
}

TEST_CASE("supervisor backoff reset goes back to the start", "[supervisor][backoff]") {
    Backoff b(milliseconds(100), milliseconds(1000));
    b.next();
    b.next();
    CHECK(b.peek() == milliseconds(400));
    b.reset();
    CHECK(b.next() == milliseconds(100));
    CHECK(b.peek() == milliseconds(200));
}

TEST_CASE("supervisor backoff with start equal to cap stays constant", "[supervisor][backoff]") {
    Backoff b(milliseconds(100), milliseconds(100));
    for (int i = 0; i < 5; ++i) CHECK(b.next() == milliseconds(100));
}

TEST_CASE("supervisor backoff cap below start is raised to start", "[supervisor][backoff]") {
    Backoff b(milliseconds(300), milliseconds(100));
    CHECK(b.next() == milliseconds(300));
    CHECK(b.next() == milliseconds(300));
}

TEST_CASE("supervisor backoff never overflows near the top of the range", "[supervisor][backoff]") {
    Backoff b(milliseconds(1), milliseconds(86400000));
    milliseconds last{0};
    for (int i = 0; i < 200; ++i) {
        auto d = b.next();
        CHECK(d >= last);
        CHECK(d <= milliseconds(86400000));
        last = d;
    }
    CHECK(last == milliseconds(86400000));
}
