// The tier-4 shell action through the real daemon: streamed output, the
// exit code, the user's home as default cwd, the timeout, the 1 MiB cap,
// and the group killed on revoke and on disconnect.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>

using namespace st;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Shell {
    Home home;
    std::string token;
    std::unique_ptr<wt::Server> d;
    Shell() {
        home.allow(4, 10);
        token = home.operatorToken();
        d = daemon(home);
    }
    std::unique_ptr<wt::HttpStream> open(const std::string& args) { return openAction(d->port(), token, "shell", args); }
};

std::vector<Json> parsed(const std::vector<std::string>& lines) {
    std::vector<Json> out;
    for (auto& l : lines) out.push_back(parse(l));
    return out;
}

/// The pid printed by `echo $!` as the first stdout line.
int firstPid(wt::HttpStream& st) {
    auto line = readUntil(st, "\"stdout\"");
    REQUIRE_FALSE(line.empty());
    return std::atoi(str(parse(line), "text").c_str());
}

} // namespace

TEST_CASE("support shell: stdout and stderr stream as they come, then the exit code", "[support_api][integration]") {
    Shell sh;
    auto st = sh.open(R"({"command":"echo one; sleep 0.5; echo two >&2; sleep 0.3; printf partial; exit 7"})");
    REQUIRE(st->status() == 200);
    auto start = parse(*st->line());
    CHECK(str(start, "type") == "start");
    CHECK(str(start, "cwd") == std::string(std::getenv("HOME")));
    CHECK(num(start, "timeoutS") == 120);
    auto t = Clock::now();
    auto one = parse(*st->line());
    CHECK(str(one, "type") == "stdout");
    CHECK(str(one, "text") == "one");
    CHECK(Clock::now() - t < 400ms); // it came before the sleep ended
    auto rest = parsed(readToEnd(*st));
    REQUIRE(rest.size() == 3);
    CHECK(str(rest[0], "type") == "stderr");
    CHECK(str(rest[0], "text") == "two");
    CHECK(str(rest[1], "text") == "partial");
    CHECK(str(rest[2], "type") == "end");
    CHECK(num(rest[2], "code") == 7);
    CHECK(str(rest[2], "reason") == "exited");
    CHECK_FALSE(flag(rest[2], "truncated"));
    auto ends = sh.home.audit("shell-end");
    REQUIRE(ends.size() == 1);
    CHECK(wt::contains(str(ends[0], "detail"), "exit code 7"));
}

TEST_CASE("support shell: the timeout kills the whole group", "[support_api][integration]") {
    Shell sh;
    auto t = Clock::now();
    auto st = sh.open(R"({"command":"sleep 60 & echo $!; wait","timeoutS":1,"cwd":"/tmp"})");
    REQUIRE(st->status() == 200);
    int sleeper = firstPid(*st);
    CHECK_FALSE(gone(sleeper));
    auto rest = parsed(readToEnd(*st, 10s));
    CHECK(Clock::now() - t < 3s);
    REQUIRE(rest.size() >= 2);
    CHECK(str(rest[rest.size() - 2], "type") == "error");
    CHECK(wt::contains(str(rest[rest.size() - 2], "message"), "timed out after 1 s"));
    CHECK(str(rest.back(), "reason") == "timeout");
    CHECK(waitGone(sleeper));
}

TEST_CASE("support shell: output is capped at 1 MiB with one truncation line", "[support_api][integration]") {
    Shell sh;
    auto st = sh.open(R"({"command":"yes 0123456789abcdef0123456789abcdef0123456789abcdef | head -c 5000000; echo done-after"})");
    REQUIRE(st->status() == 200);
    auto lines = parsed(readToEnd(*st, 20s));
    REQUIRE(lines.size() > 3);
    std::size_t bytes = 0, truncations = 0;
    for (auto& l : lines) {
        if (str(l, "type") == "stdout" || str(l, "type") == "stderr") bytes += str(l, "text").size();
        if (str(l, "type") == "truncated") ++truncations;
    }
    CHECK(bytes <= (1u << 20));
    CHECK(bytes > (1u << 20) - 100);
    CHECK(truncations == 1);
    CHECK(str(lines.back(), "type") == "end");
    CHECK(flag(lines.back(), "truncated"));
    CHECK(num(lines.back(), "code") == 0); // the command ran to its end; only the output was cut
}

TEST_CASE("support shell: revoke and disconnect kill the group", "[support_api][integration]") {
    SECTION("revoke") {
        Shell sh;
        auto st = sh.open(R"({"command":"sleep 60 & echo $!; wait"})");
        REQUIRE(st->status() == 200);
        int sleeper = firstPid(*st);
        sh.home.revoke();
        auto t = Clock::now();
        auto rest = parsed(readToEnd(*st, 5s));
        CHECK(Clock::now() - t < 1500ms);
        REQUIRE_FALSE(rest.empty());
        CHECK(str(rest.back(), "reason") == "revoked");
        CHECK(waitGone(sleeper));
    }
    SECTION("disconnect") {
        Shell sh;
        auto st = sh.open(R"({"command":"sleep 60 & echo $!; wait"})");
        REQUIRE(st->status() == 200);
        int sleeper = firstPid(*st);
        st->close();
        CHECK(waitGone(sleeper));
        for (int i = 0; i < 100 && sh.home.audit("shell-end").empty(); ++i) std::this_thread::sleep_for(20ms);
        auto ends = sh.home.audit("shell-end");
        REQUIRE(ends.size() == 1);
        CHECK(wt::contains(str(ends[0], "detail"), "client-gone"));
    }
}
