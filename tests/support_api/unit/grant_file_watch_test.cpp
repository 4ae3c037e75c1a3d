// GrantFileWatch: fires for every way the grant file changes (written in
// place, replaced by rename, removed), not for other files in the home.
#include "grant_file_watch.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <thread>

using wildws::support::GrantFileWatch;

TEST_CASE("support grant file watch: a write, a rename over it and a removal each wake it", "[support_api][unit]") {
    wt::TempDir dir;
    const std::string home = dir.path();
    const std::string grant = home + "/support-consent.json";
    GrantFileWatch watch(home);
    REQUIRE(watch.fd() >= 0);
    CHECK_FALSE(watch.wait(0));

    // Another file in the home: no wake-up.
    wt::writeFile(home + "/support-audit.jsonl", "x\n");
    CHECK_FALSE(watch.wait(50));

    wt::writeFile(grant, "{}");
    CHECK(watch.wait(5000));
    watch.drain();
    wt::writeFile(home + "/support-consent.json.tmp", "{\"tier\":1}");
    REQUIRE(std::rename((home + "/support-consent.json.tmp").c_str(), grant.c_str()) == 0);
    CHECK(watch.wait(5000));
    watch.drain();
    REQUIRE(std::remove(grant.c_str()) == 0);
    CHECK(watch.wait(5000));
}

TEST_CASE("support grant file watch: wake() ends a wait at once, with no change", "[support_api][unit]") {
    wt::TempDir dir;
    GrantFileWatch watch(dir.path());
    std::thread t([&] { watch.wake(); });
    CHECK_FALSE(watch.wait(10000)); // returns on the wake, long before 10 s
    t.join();
}
