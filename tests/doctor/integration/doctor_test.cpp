// `wildws doctor`: every check passes in a healthy home and fails, with what
// to do, for a planted cause.
#include "doctor_env.hpp"

#include <server.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <sstream>

TEST_CASE("doctor passes in a healthy home: one line per check, exit 0", "[doctor]") {
    dr::Env e;
    auto r = e.run({"doctor"});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 home: " + e.home + " (0700, yours; secret files 0600)\n"));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 plugin agent: loaded"));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 Claude Code: found " FAKE_SIGNIN_CLAUDE " (2.1.331 (Claude Code)), signed in (claude.ai account)\n"));
    CHECK(wt::contains(r.out, "\xC2\xB7 Codex: not installed"));
    CHECK(wt::contains(r.out, "\xC2\xB7 serve: not running (start it with `wildws serve` or `wildws always-on start`)\n"));
    CHECK(wt::contains(r.out, "\xC2\xB7 always-on: not running"));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 safe mode: off\n"));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 support grant: OFF\n"));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 operator access: OFF\n"));
    CHECK(wt::contains(r.out, "\xC2\xB7 relay: off (not configured: [plugin.relay] url)\n"));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 disk space: "));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 logs: "));
    CHECK(wt::contains(r.out, "\xE2\x9C\x93 config: "));
    CHECK(wt::contains(r.out, "all checks passed\n"));
    for (auto& line : wt::lines(r.out)) {
        if (line.empty() || line == "all checks passed") continue;
        bool marked = line.rfind("\xE2\x9C\x93 ", 0) == 0 || line.rfind("\xE2\x9C\x97 ", 0) == 0 || line.rfind("\xC2\xB7 ", 0) == 0;
        CHECK(marked);
    }
}

TEST_CASE("doctor: a home others can read fails with chmod 700", "[doctor]") {
    dr::Env e;
    ::chmod(e.home.c_str(), 0755);
    int code = 0;
    auto c = e.check("home", &code);
    CHECK(code == 1);
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == e.home + " is mode 755: others can list its files");
    CHECK(dr::fix(c) == "chmod 700 " + e.home);
}

TEST_CASE("doctor: a secrets file others can read fails with chmod 600", "[doctor]") {
    dr::Env e;
    wt::writeFile(e.home + "/secrets.json", "{}", 0644);
    auto c = e.check("home");
    CHECK(dr::status(c) == "fail");
    CHECK(dr::fix(c) == "chmod 600 " + e.home + "/secrets.json");
}

TEST_CASE("doctor: a wildws.ini section for no plugin fails the config check", "[doctor]") {
    dr::Env e;
    // The host refuses a file it cannot parse at all; what it accepts but
    // cannot use - a section for no plugin - the doctor finds.
    wt::writeFile(e.home + "/wildws.ini", "[plugin.agnet]\nstall_seconds = 5\n");
    int code = 0;
    auto c = e.check("config", &code);
    CHECK(code == 1);
    CHECK(dr::status(c) == "fail");
    // Found by `wildws config check` when this build has it, else by the doctor's basic checks.
    CHECK(wt::contains(dr::detail(c), "[plugin.agnet]"));
    CHECK((dr::fix(c) == "correct the section name, or remove the section" ||
           dr::fix(c) == "run `wildws config check` and correct " + e.home + "/wildws.ini"));
}

TEST_CASE("doctor: a plugin that failed its setup fails with what to correct", "[doctor]") {
    dr::Env e;
    e.sets.push_back("--set");
    e.sets.push_back("plugin.gemini.build_approval_mode=sometimes");
    auto c = e.check("plugin.gemini");
    CHECK(dr::status(c) == "fail");
    CHECK(wt::contains(dr::detail(c), "setup-failed: "));
    CHECK(wt::contains(dr::detail(c), "build_approval_mode = 'sometimes'"));
    CHECK(dr::fix(c) == "correct what the message says (often [plugin.gemini] in wildws.ini)");
}

TEST_CASE("doctor: a signed-out agent fails with how to sign in, no agent at all fails too", "[doctor]") {
    dr::Env e;
    ::unlink((e.user + "/.fake-signed-in").c_str());
    int code = 0;
    auto c = e.check("agent.claude", &code);
    CHECK(code == 1);
    CHECK(dr::status(c) == "fail");
    CHECK(wt::contains(dr::detail(c), ", not signed in"));
    CHECK(dr::fix(c) == "Claude Code is not signed in: click Sign in, or run `claude auth login` (or `wildws agent login claude`)");
    CHECK(dr::status(e.check("agents")) == "fail");

    dr::Env none;
    none.sets[1] = "plugin.agent.claude_path=/nonexistent/claude";
    auto all = none.check("agents");
    CHECK(dr::status(all) == "fail");
    CHECK(dr::detail(all) == "no coding agent is installed");
    CHECK(wt::contains(dr::fix(all), "npm install -g @anthropic-ai/claude-code"));
}

TEST_CASE("doctor: serve running passes, a stale or corrupt pid file fails", "[doctor]") {
    dr::Env e;
    {
        wt::Server s(e.home, "serve", e.sets, e.options());
        auto c = e.check("serve");
        CHECK(dr::status(c) == "ok");
        CHECK(dr::detail(c).rfind("running, pid " + std::to_string(s.child().pid()) + ", port " + std::to_string(s.port()), 0) == 0);
    }
    // A pid file naming a process that is gone (what a crash leaves).
    wt::writeFile(e.home + "/server.pid", R"({"pid":999999,"startTime":1,"startedAt":1,"port":5173,"version":"0.1.0","role":"workspace"})");
    auto c = e.check("serve");
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == "server.pid names pid 999999, which is not running (a stale pid file)");
    CHECK(dr::fix(c) == "remove " + e.home + "/server.pid, or run `wildws always-on stop` to clean up");
    wt::writeFile(e.home + "/daemon.pid", "garbage");
    c = e.check("daemon");
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == e.home + "/daemon.pid is not a JSON object (corrupt)");
}

TEST_CASE("doctor: a live pid whose port does not answer /health fails", "[doctor]") {
    dr::Env e;
    // Our own pid and start time, a port nobody listens on.
    std::ifstream in("/proc/self/stat");
    std::string stat;
    std::getline(in, stat);
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));
    std::string f, start;
    for (int i = 3; i <= 22 && rest >> f; ++i)
        if (i == 22) start = f;
    int port = wt::freePort();
    wt::writeFile(e.home + "/server.pid", "{\"pid\":" + std::to_string(::getpid()) + ",\"startTime\":" + start +
                                               ",\"startedAt\":1,\"port\":" + std::to_string(port) + ",\"role\":\"workspace\"}");
    auto c = e.check("serve");
    CHECK(dr::status(c) == "fail");
    CHECK(wt::contains(dr::detail(c), "holds server.pid but /health on port " + std::to_string(port) + " did not answer"));
}

TEST_CASE("doctor: a dead supervisor's status file and safe mode fail", "[doctor]") {
    dr::Env e;
    wt::writeFile(e.home + "/supervisor-status.json", R"({"pid":999999,"startTime":1,"children":{}})");
    auto c = e.check("supervisor");
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == "supervisor-status.json names pid 999999, which is not running");
    wt::writeFile(e.home + "/safe-mode.json",
                  R"({"disabled":[{"plugin":"crashy","signal":"SIGSEGV","call":"GET /api/x","child":"server","at":1}],"onlyFirstParty":false})");
    c = e.check("safe-mode");
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == "ON: crashy (SIGSEGV in GET /api/x)");
    CHECK(dr::fix(c) == "update or remove the plugin that crashed, then `wildws always-on start --clear-safe-mode`");
}

TEST_CASE("doctor: a corrupt grant and an unsafe operator file fail, a live grant passes", "[doctor]") {
    dr::Env e;
    wt::writeFile(e.home + "/support-consent.json", "not json");
    auto c = e.check("support");
    CHECK(dr::status(c) == "fail");
    CHECK(wt::contains(dr::detail(c), "OFF: corrupt"));
    CHECK(dr::fix(c) == "`wildws support revoke` removes the file; `wildws support allow` grants again");

    dr::Env live;
    auto allow = live.run({"support", "allow", "--tier", "1", "--minutes", "30"});
    INFO(allow.out << allow.err);
    c = live.check("support");
    CHECK(dr::status(c) == "ok");
    CHECK(wt::contains(dr::detail(c), "ON: tier 1 until "));
    auto enable = live.run({"operator", "enable"});
    c = live.check("operator");
    CHECK(dr::status(c) == "ok");
    CHECK(wt::contains(dr::detail(c), "ON since "));
    ::chmod((live.home + "/operator.json").c_str(), 0644);
    c = live.check("operator");
    CHECK(dr::status(c) == "fail");
}

TEST_CASE("doctor: a relay configured but not connected fails", "[doctor]") {
    dr::Env e;
    wt::writeFile(e.home + "/relay-status.json",
                  R"({"configured":true,"connected":false,"url":"nats://broker:4222","lastError":"connection refused"})");
    auto c = e.check("relay");
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == "configured but not connected: connection refused");
    wt::writeFile(e.home + "/relay-status.json", R"({"configured":true,"connected":true,"url":"nats://broker:4222"})");
    c = e.check("relay");
    CHECK(dr::status(c) == "ok");
    CHECK(dr::detail(c) == "connected to nats://broker:4222");
}

TEST_CASE("doctor: too little disk space and an oversized log fail", "[doctor]") {
    dr::Env e;
    auto c = e.check("disk", nullptr, {"--set", "plugin.doctor.min_free_mb=1000000000"});
    CHECK(dr::status(c) == "fail");
    CHECK(wt::contains(dr::detail(c), "free where " + e.home + " is"));
    ::mkdir((e.home + "/logs").c_str(), 0700);
    wt::writeFile(e.home + "/logs/runaway.log", std::string(2 << 20, 'x'));
    c = e.check("logs", nullptr, {"--set", "plugin.doctor.max_log_mb=1"});
    CHECK(dr::status(c) == "fail");
    CHECK(dr::detail(c) == "logs/runaway.log is 2.0 MB");
}
