// The bundle's pieces: scrubbing, the redacted config, log tails, the tar.gz.
#include "bundle.hpp"
#include "report.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

using namespace wildws::doctor;

TEST_CASE("scrub replaces known secret values and bearer tokens", "[doctor][bundle]") {
    std::string text = "token abcdef123456 and again abcdef123456; short 12345 stays\n"
                       "Authorization: Bearer tok_9f8e7d6c5b4a\nurl?token=zzzzzzzz&x=1 password: hunter22\n";
    std::string out = scrub(text, {"abcdef123456", "12345"});
    CHECK(out.find("abcdef123456") == std::string::npos);
    CHECK(out.find("12345 stays") != std::string::npos);
    CHECK(out.find("tok_9f8e7d6c5b4a") == std::string::npos);
    CHECK(out.find("Bearer [redacted]") != std::string::npos);
    CHECK(out.find("zzzzzzzz") == std::string::npos);
    CHECK(out.find("hunter22") == std::string::npos);
}

TEST_CASE("redactIni hides the values of secret-looking keys only", "[doctor][bundle]") {
    std::string ini = "[plugin.relay]\nurl = nats://x:4222\npassword = hunter2\n nkey_seed=SUAB\n; token = comment\n"
                      "[plugin.agent]\nclaude_path = /usr/bin/claude\napi_key=sk-1\n";
    std::string out = redactIni(ini);
    CHECK(out == "[plugin.relay]\nurl = nats://x:4222\npassword = [redacted]\n nkey_seed= [redacted]\n; token = comment\n"
                 "[plugin.agent]\nclaude_path = /usr/bin/claude\napi_key= [redacted]\n");
}

TEST_CASE("lastLines keeps the last N lines", "[doctor][bundle]") {
    CHECK(lastLines("a\nb\nc\n", 2) == "b\nc\n");
    CHECK(lastLines("a\nb\nc", 2) == "b\nc");
    CHECK(lastLines("a\nb\n", 5) == "a\nb\n");
    CHECK(lastLines("", 3).empty());
}

TEST_CASE("tarGz writes a gzip'd ustar archive that tar reads back", "[doctor][bundle]") {
    wt::TempDir dir;
    std::string data = tarGz({{"doctor.json", "{}\n"}, {"logs/agent.log", std::string(1000, 'x') + "\n"}}, 1764576000);
    CHECK(static_cast<unsigned char>(data[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(data[1]) == 0x8b);
    wt::writeFile(dir / "b.tar.gz", data);
    auto list = wt::run({"/bin/tar", "-tzvf", dir / "b.tar.gz"});
    INFO(list.err);
    REQUIRE(list.code == 0);
    CHECK(wt::contains(list.out, "wildws-doctor/doctor.json"));
    CHECK(wt::contains(list.out, "wildws-doctor/logs/agent.log"));
    CHECK(wt::contains(list.out, "-rw-------"));
    auto x = wt::run({"/bin/tar", "-xzf", dir / "b.tar.gz", "-C", dir.path()});
    REQUIRE(x.code == 0);
    CHECK(wt::readFile(dir / "wildws-doctor/logs/agent.log") == std::string(1000, 'x') + "\n");
}

TEST_CASE("the report prints one line per check and JSON with every field", "[doctor][report]") {
    Report r;
    r.ok("home", "home", "/h (0700)");
    r.fail("serve", "serve", "stale pid file", "remove /h/server.pid");
    r.skip("relay", "relay", "not installed");
    CHECK_FALSE(r.ok());
    CHECK(toText(r) == "\xE2\x9C\x93 home: /h (0700)\n\xE2\x9C\x97 serve: stale pid file - remove /h/server.pid\n"
                       "\xC2\xB7 relay: not installed\n1 check failed\n");
    CHECK(toJson(r) == R"J({"ok":false,"checks":[{"id":"home","title":"home","status":"ok","detail":"/h (0700)","fix":""},)J"
                       R"J({"id":"serve","title":"serve","status":"fail","detail":"stale pid file","fix":"remove /h/server.pid"},)J"
                       R"J({"id":"relay","title":"relay","status":"skip","detail":"not installed","fix":""}]})J");
}
