// The restart-server support action and what the supervisor does with it.
#include "harness.hpp"

#include "http_client.hpp"
#include "pid_record.hpp"
#include "proc.hpp"
#include "server.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <thread>

using namespace st;

namespace {

wt::HttpResult runAction(const Home& home, const std::string& body = "{\"reason\":\"agent stuck\"}") {
    return wt::http(home.daemonPort(), "POST", "/fx/actionfx/run/restart-server",
                    {{"Content-Type", "application/json"}}, body);
}

bool exists(const std::string& path) {
    struct stat s {};
    return ::stat(path.c_str(), &s) == 0;
}

} // namespace

TEST_CASE("supervisor restart request is consumed once, audited and rate-limited", "[supervisor][integration]") {
    Home home({{"actionfx", "auditfx"}, "", ""});
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    REQUIRE(waitFor([&] { return home.childState("server") == "running"; }, 10s));
    int before = home.childPid("server");
    int daemon = home.childPid("daemon");

    auto r = runAction(home);
    INFO(r.body);
    REQUIRE(r.status == 202);
    CHECK(jsonAt(r.body, "status") == "requested");
    std::string nonce = jsonAt(r.body, "nonce");
    REQUIRE_FALSE(nonce.empty());

    // Seen within a second (inotify), the server restarted through its pidfd.
    REQUIRE(waitFor([&] { return home.childPid("server") != before && home.childPid("server") > 0; }, 3s));
    int after = home.childPid("server");
    CHECK_FALSE(alive(before));
    CHECK_FALSE(exists(home.file("restart-request.json")));
    REQUIRE(waitFor([&] { return home.auditLines("restarted the server").size() == 1; }, 10s));
    auto ok = home.auditLines("restarted the server")[0];
    CHECK(jsonAt(ok, "action") == "restart-server");
    CHECK(jsonAt(ok, "ok") == "true");
    CHECK(jsonAt(ok, "tier") == "2");
    CHECK(jsonAt(ok, "actor") == "supervisor");
    CHECK(wt::contains(ok, "pid " + std::to_string(before) + " -> pid " + std::to_string(after)));
    CHECK(wt::contains(ok, "requested by operator: 'agent stuck'; nonce " + nonce));
    CHECK(Home::healthy(home.serverPort()));
    CHECK(home.childPid("daemon") == daemon);
    // The old server shut down cleanly on SIGTERM.
    CHECK(home.childField("server", "lastExit.kind") == "code");

    // A second request inside 30 s: consumed, audited as rate-limited, nothing signalled.
    auto second = runAction(home);
    REQUIRE(second.status == 202);
    REQUIRE(waitFor([&] { return home.auditLines("rate-limited").size() == 1; }, 3s));
    auto limited = home.auditLines("rate-limited")[0];
    CHECK(jsonAt(limited, "ok") == "false");
    CHECK(wt::contains(limited, jsonAt(second.body, "nonce")));
    CHECK_FALSE(exists(home.file("restart-request.json")));
    std::this_thread::sleep_for(500ms);
    CHECK(home.childPid("server") == after);
    CHECK(alive(after));
    CHECK(home.auditLines("restarted the server").size() == 1);
    CHECK(home.startsLogged("server") == 2);
}

TEST_CASE("supervisor a stale server.pid naming a reused pid is never signalled", "[supervisor][integration]") {
    Home home({{"actionfx", "auditfx"}, "restart_min_interval_seconds = 0\n", ""});
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    REQUIRE(waitFor([&] { return home.childState("server") == "running"; }, 10s));
    int server = home.childPid("server");

    // A live, unrelated process - what a reused pid looks like.
    wt::Child sleeper({"/bin/sleep", "300"});
    REQUIRE(waitFor([&] { return alive(sleeper.pid()); }, 5s));
    auto realStart = wildws::supervisor::processStartTime(sleeper.pid()).value();

    SECTION("its real pid with a wrong start time") {
        wildws::supervisor::PidRecord fake;
        fake.pid = sleeper.pid();
        fake.startTime = realStart + 777;
        fake.port = home.serverPort();
        fake.role = "workspace";
        wildws::supervisor::writePidRecord(home.file("server.pid"), fake);
        REQUIRE(runAction(home).status == 202);
        REQUIRE(waitFor([&] { return home.auditLines("not restarted").size() == 1; }, 3s));
        auto line = home.auditLines("not restarted")[0];
        CHECK(wt::contains(line, "server.pid does not name the supervised server"));
        CHECK(wt::contains(line, "nothing was signalled"));
    }
    SECTION("its real pid and its real start time (a forged file)") {
        wildws::supervisor::PidRecord fake;
        fake.pid = sleeper.pid();
        fake.startTime = realStart;
        fake.port = home.serverPort();
        fake.role = "workspace";
        wildws::supervisor::writePidRecord(home.file("server.pid"), fake);
        REQUIRE(runAction(home).status == 202);
        REQUIRE(waitFor([&] { return home.auditLines("not restarted").size() == 1; }, 3s));
        CHECK(wt::contains(home.auditLines("not restarted")[0],
                           "names pid " + std::to_string(sleeper.pid()) + ", not the supervised pid"));
    }
    std::this_thread::sleep_for(300ms);
    CHECK(alive(sleeper.pid()));
    CHECK(sleeper.running());
    CHECK(home.childPid("server") == server);
    CHECK(alive(server));
    CHECK(home.auditLines("restarted the server").empty());
}

TEST_CASE("supervisor restart-server with no supervisor answers no-supervisor", "[supervisor][integration]") {
    Home home({{"actionfx", "auditfx"}, "", ""});
    wt::Child daemon(home.argv({"daemon"}));
    REQUIRE(waitFor([&] { return Home::healthy(home.daemonPort()); }, 20s));
    auto r = runAction(home);
    INFO(r.body);
    CHECK(r.status == 503);
    CHECK(jsonAt(r.body, "error") == "no-supervisor");
    CHECK(wt::contains(jsonAt(r.body, "message"), "wildws always-on start"));
    CHECK_FALSE(exists(home.file("restart-request.json")));
}

TEST_CASE("supervisor restart-server refuses bad args", "[supervisor][integration]") {
    Home home({{"actionfx", "auditfx"}, "", ""});
    wt::Child daemon(home.argv({"daemon"}));
    REQUIRE(waitFor([&] { return Home::healthy(home.daemonPort()); }, 20s));
    auto unknown = runAction(home, "{\"force\":true}");
    CHECK(unknown.status == 400);
    CHECK(wt::contains(unknown.body, "unknown field 'force'"));
    auto notString = runAction(home, "{\"reason\":5}");
    CHECK(notString.status == 400);
    CHECK(wt::contains(notString.body, "reason must be a string"));
}

TEST_CASE("supervisor restart-server through the real support_api and consent plugins", "[supervisor][integration]") {
    // The other rooms' plugins, when this build has them; else the fixtures
    // above stand in for them and this end-to-end check is skipped.
    std::string consent = std::string(WILDWS_PLUGINS_DIR) + "/wildws-consent.so";
    std::string supportApi = std::string(WILDWS_PLUGINS_DIR) + "/wildws-support_api.so";
    if (!exists(consent) || !exists(supportApi)) {
        WARN("wildws-consent.so or wildws-support_api.so is not built: end-to-end restart-server check skipped");
        return;
    }
    Home home;
    for (auto& so : {consent, supportApi}) {
        auto to = home.pluginsDir() + so.substr(so.rfind('/'));
        wt::writeFile(to, wt::readFile(so), 0755);
    }
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    REQUIRE(waitFor([&] { return home.childState("server") == "running"; }, 10s));
    int before = home.childPid("server");
    REQUIRE(home.cli({"support", "allow", "--tier", "2", "--minutes", "30"}).code == 0);
    auto enable = home.cli({"operator", "enable"});
    REQUIRE(enable.code == 0);
    // The token is shown once, in the command's output: take the word that starts like one.
    std::string token;
    std::string said = enable.out + enable.err;
    if (auto at = said.find("wwop_"); at != std::string::npos) token = said.substr(at, said.find_first_of(" \t\n", at) - at);
    REQUIRE_FALSE(token.empty());
    // ?wait=1 through the real support_api route: the answer is the outcome.
    auto r = wt::http(home.daemonPort(), "POST", "/api/support/actions/restart-server?wait=1",
                      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                      "{\"args\":{\"reason\":\"e2e\"}}", std::chrono::seconds(60));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(jsonAt(r.body, "status") == "restarted");
    CHECK(jsonAt(r.body, "oldPid") == std::to_string(before));
    CHECK(jsonAt(r.body, "pid") == std::to_string(home.childPid("server")));
    REQUIRE(waitFor([&] { return home.childPid("server") != before && home.childState("server") == "running"; }, 10s));
    const std::string outcome = "restarted the server: pid " + std::to_string(before) + " -> pid ";
    CHECK(waitFor([&] { return wt::contains(wt::readFile(home.file("support-audit.jsonl")), outcome); }, 10s));
}

TEST_CASE("supervisor restart-server while the server is starting runs once it is up, and ?wait=1 says the outcome",
          "[supervisor][integration]") {
    // A server that stays "starting" for 3 s after it first answers /health.
    Home home({{"actionfx", "auditfx"}, "healthy_after_ms = 3000\nbackoff_start_ms = 100\n", ""});
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    REQUIRE(waitFor([&] { return home.childState("server") == "running"; }, 20s));
    const int first = home.childPid("server");
    REQUIRE(::kill(first, SIGKILL) == 0);
    REQUIRE(waitFor([&] { return home.childState("server") == "starting" && home.childPid("server") > 0 &&
                                 home.childPid("server") != first; },
                    10s));
    const int starting = home.childPid("server");

    // Asked while starting: no refusal; the caller that waits gets the new pid.
    auto r = wt::http(home.daemonPort(), "POST", "/fx/actionfx/run/restart-server?wait=1",
                      {{"Content-Type", "application/json"}}, "{\"reason\":\"while starting\"}", std::chrono::seconds(60));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(jsonAt(r.body, "status") == "restarted");
    CHECK(jsonAt(r.body, "oldPid") == std::to_string(starting));
    const int after = std::stoi(jsonAt(r.body, "pid"));
    CHECK(after != starting);
    CHECK(after == home.childPid("server"));
    // The outcome is reported once the new server answers /health; the
    // supervisor's own status says "running" a moment later.
    CHECK(waitFor([&] { return home.childState("server") == "running"; }, 10s));
    CHECK_FALSE(alive(starting));
    CHECK(home.auditLines("nothing was signalled").empty());
    auto ok = home.auditLines("restarted the server");
    REQUIRE(ok.size() == 1);
    CHECK(wt::contains(ok[0], "pid " + std::to_string(starting) + " -> pid " + std::to_string(after)));
    CHECK(wt::contains(ok[0], "'while starting'"));

    // A second one inside the rate limit: the waiting caller gets the reason.
    auto limited = wt::http(home.daemonPort(), "POST", "/fx/actionfx/run/restart-server?wait=1",
                            {{"Content-Type", "application/json"}}, "{}", std::chrono::seconds(60));
    CHECK(limited.status == 409);
    CHECK(jsonAt(limited.body, "error") == "not-restarted");
    CHECK(wt::contains(jsonAt(limited.body, "message"), "rate-limited"));
    CHECK(home.childPid("server") == after);
}
