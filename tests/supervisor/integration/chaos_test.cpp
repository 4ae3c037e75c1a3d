// kill -9 of the server, 50 times: each time it is back (answering /health),
// typically within the backoff in force plus one second, there is never a
// second server, and the daemon is never touched.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <signal.h>

using namespace st;

TEST_CASE("supervisor 50 kill -9 of the server each back within backoff plus 1 s", "[supervisor][integration]") {
    // healthy_after_ms and healthy_reset_seconds = 0: a server that answered
    // is healthy at once and the backoff starts over, so every kill meets the
    // 100 ms start delay and the bound is 100 ms + 1 s, every time.
    Home home({{}, "backoff_start_ms = 100\nbackoff_cap_ms = 100\nhealthy_after_ms = 0\nhealthy_reset_seconds = 0\n", ""});
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    int daemon = home.childPid("daemon");
    const auto bound = std::chrono::milliseconds(100 + 1000);
    std::vector<long> took;
    for (int i = 0; i < 50; ++i) {
        INFO("kill " << i);
        REQUIRE(waitFor([&] { return home.childState("server") == "running"; }, 10s));
        int pid = home.childPid("server");
        REQUIRE(alive(pid));
        auto t0 = std::chrono::steady_clock::now();
        ::kill(pid, SIGKILL);
        bool back = waitFor(
            [&] {
                auto rec = wt::readFile(home.file("server.pid"));
                auto p = jsonAt(rec, "pid");
                return !p.empty() && std::stoi(p) != pid && Home::healthy(home.serverPort());
            },
            10s);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
        REQUIRE(back);
        took.push_back(static_cast<long>(ms.count()));
        CHECK(processesWith({home.path(), " serve "}).size() == 1);
    }
    std::sort(took.begin(), took.end());
    WARN("kill -9 -> /health again: median " << took[took.size() / 2] << " ms, max " << took.back() << " ms");
    // The bound holds for the restarts as a whole; a single one may miss it
    // when the machine is busy with other suites (a 2-core box running ctest
    // -j2 beside other builds), which is the scheduler's delay, not the
    // supervisor's. bench/supervisor measures the latency itself.
    const long over = static_cast<long>(std::count_if(took.begin(), took.end(), [&](long t) { return t > bound.count(); }));
    CHECK(took[took.size() / 2] <= bound.count());
    CHECK(over <= 5);
    CHECK(home.childPid("daemon") == daemon);
    CHECK(home.childField("server", "restarts") == "50");
    CHECK(waitFor([&] { return home.childState("server") == "running"; }, 10s));
}
