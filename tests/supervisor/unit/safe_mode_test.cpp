#include "safe_mode.hpp"

#include "wildws_test.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

using namespace wildws::supervisor;

namespace {

ExitStatus killedBy(int sig) {
    ExitStatus s;
    s.known = true;
    s.signaled = true;
    s.signal = sig;
    return s;
}

ExitStatus exitedWith(int code) {
    ExitStatus s;
    s.known = true;
    s.code = code;
    return s;
}

CrashRecord crashIn(const std::string& plugin, const std::string& call) {
    CrashRecord c;
    c.pid = 77;
    c.signal = "SIGSEGV";
    c.plugin = plugin;
    c.call = call;
    return c;
}

} // namespace

TEST_CASE("supervisor crash line parses the host's format", "[supervisor][safemode]") {
    auto r = parseCrashLine(
        R"({"ts":1795540176970,"pid":4242,"signal":"SIGSEGV","plugin":"crashfx","call":"GET /api/crashfx/segv"})");
    REQUIRE(r);
    CHECK(r->pid == 4242);
    CHECK(r->signal == "SIGSEGV");
    CHECK(r->plugin == "crashfx");
    CHECK(r->call == "GET /api/crashfx/segv");
    CHECK(r->ts == 1795540176970);
    CHECK_FALSE(parseCrashLine("garbage"));
    CHECK_FALSE(parseCrashLine(R"({"pid":1})"));
}

TEST_CASE("supervisor lastCrashOf picks the newest line of that pid", "[supervisor][safemode]") {
    wt::TempDir dir;
    wt::writeFile(dir / "crash.log",
                  "{\"ts\":1,\"pid\":10,\"signal\":\"SIGSEGV\",\"plugin\":\"a\",\"call\":\"tick x\"}\n"
                  "not json at all\n"
                  "{\"ts\":2,\"pid\":11,\"signal\":\"SIGBUS\",\"plugin\":\"b\",\"call\":\"setup\"}\n"
                  "{\"ts\":3,\"pid\":10,\"signal\":\"SIGABRT\",\"plugin\":\"c\",\"call\":\"GET /x\"}\n"
                  "{\"ts\":4,\"pid\":12,\"signal\":\"SIGSEGV\",\"plugin\":\"\",\"call\":\"\"}\n");
    auto ten = lastCrashOf(dir / "crash.log", 10);
    REQUIRE(ten);
    CHECK(ten->plugin == "c");
    CHECK(ten->signal == "SIGABRT");
    CHECK(lastCrashOf(dir / "crash.log", 11)->plugin == "b");
    CHECK_FALSE(lastCrashOf(dir / "crash.log", 13));
    CHECK_FALSE(lastCrashOf(dir / "missing.log", 10));
}

TEST_CASE("supervisor safe mode disables the plugin the crash names", "[supervisor][safemode]") {
    auto d = decideSafeMode(std::nullopt, killedBy(SIGSEGV), crashIn("crashfx", "tick crash"), "server", 5);
    REQUIRE(d.apply);
    REQUIRE(d.next.disabled.size() == 1);
    CHECK(d.next.disabled[0].plugin == "crashfx");
    CHECK(d.next.disabled[0].call == "tick crash");
    CHECK(d.next.disabled[0].child == "server");
    CHECK_FALSE(d.next.onlyFirstParty);
    CHECK(d.summary == "disabled by safe mode: crashfx (SIGSEGV in tick crash)");
}

TEST_CASE("supervisor safe mode keeps what was already disabled", "[supervisor][safemode]") {
    SafeMode current;
    DisabledPlugin a;
    a.plugin = "a";
    current.disabled.push_back(a);
    auto d = decideSafeMode(current, killedBy(SIGSEGV), crashIn("b", "GET /b"), "server", 5);
    REQUIRE(d.apply);
    REQUIRE(d.next.disabled.size() == 2);
    CHECK(d.next.disabled[0].plugin == "a");
    CHECK(d.next.disabled[1].plugin == "b");
    auto again = decideSafeMode(d.next, killedBy(SIGSEGV), crashIn("b", "GET /b"), "server", 6);
    CHECK_FALSE(again.apply);
    CHECK(wt::contains(again.whyNot, "already disabled"));
}

TEST_CASE("supervisor safe mode with no plugin named disables third-party plugins once", "[supervisor][safemode]") {
    auto d = decideSafeMode(std::nullopt, killedBy(SIGABRT), crashIn("", ""), "server", 5);
    REQUIRE(d.apply);
    CHECK(d.next.onlyFirstParty);
    CHECK(d.next.disabled.empty());
    CHECK(wt::contains(d.summary, "every plugin not shipped with wildws"));
    auto none = decideSafeMode(std::nullopt, killedBy(SIGSEGV), std::nullopt, "server", 5);
    CHECK(none.apply);
    CHECK(none.next.onlyFirstParty);
    auto again = decideSafeMode(d.next, killedBy(SIGSEGV), std::nullopt, "server", 6);
    CHECK_FALSE(again.apply);
}

TEST_CASE("supervisor safe mode is not tried when the exit was not a crash", "[supervisor][safemode]") {
    auto code = decideSafeMode(std::nullopt, exitedWith(1), crashIn("x", "setup"), "server", 5);
    CHECK_FALSE(code.apply);
    CHECK(wt::contains(code.whyNot, "code 1"));
    CHECK_FALSE(decideSafeMode(std::nullopt, killedBy(SIGKILL), crashIn("x", "setup"), "server", 5).apply);
    CHECK_FALSE(decideSafeMode(std::nullopt, ExitStatus{}, crashIn("x", "setup"), "server", 5).apply);
}

TEST_CASE("supervisor safe mode never disables the supervisor itself", "[supervisor][safemode]") {
    auto d = decideSafeMode(std::nullopt, killedBy(SIGSEGV), crashIn("supervisor", "command x"), "server", 5);
    CHECK_FALSE(d.apply);
    CHECK(wt::contains(d.whyNot, "supervisor plugin itself"));
}

TEST_CASE("supervisor safe mode file round-trips in the loader's format", "[supervisor][safemode]") {
    wt::TempDir dir;
    SafeMode m;
    DisabledPlugin p;
    p.plugin = "crashfx";
    p.signal = "SIGSEGV";
    p.call = "GET /api/x \"quoted\"\nnewline";
    p.child = "server";
    p.at = 9;
    m.disabled.push_back(p);
    m.reason = "why";
    writeSafeMode(dir / "safe-mode.json", m);
    auto text = wt::readFile(dir / "safe-mode.json");
    CHECK(wt::lines(text).size() == 1); // a newline in a value cannot split the file
    CHECK(wt::contains(text, "\"disabled\":[{\"plugin\":\"crashfx\""));
    auto back = readSafeMode(dir / "safe-mode.json");
    REQUIRE(back);
    REQUIRE(back->disabled.size() == 1);
    CHECK(back->disabled[0].call == p.call);
    CHECK(describe(*back).at(0) == "disabled by safe mode: crashfx (SIGSEGV in GET /api/x \"quoted\"\nnewline)");
    CHECK(removeSafeMode(dir / "safe-mode.json"));
    CHECK_FALSE(removeSafeMode(dir / "safe-mode.json"));
    CHECK_FALSE(readSafeMode(dir / "safe-mode.json"));
}
