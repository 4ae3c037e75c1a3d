// The small file-level pieces: the lock, request files, the rotating log,
// the status file and the restart rate limit.
#include "control_request.hpp"
#include "lock.hpp"
#include "request_file.hpp"
#include "restart_request.hpp"
#include "rotating_file.hpp"
#include "safe_mode.hpp"
#include "status_file.hpp"

#include "wildws_test.hpp"

#include <wildws/common/clock.hpp>

#include <catch2/catch.hpp>
#include <wildws/common/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

using namespace wildws::supervisor;
namespace json = wildws::common::json;

TEST_CASE("supervisor lock admits one holder and is close-on-exec", "[supervisor][lock]") {
    wt::TempDir dir;
    auto path = dir / "supervisor.lock";
    CHECK_FALSE(SupervisorLock::heldByOther(path));
    auto first = SupervisorLock::tryAcquire(path);
    REQUIRE(first);
    CHECK(::fcntl(first->fd(), F_GETFD) & FD_CLOEXEC);
    // Another open file description, even in this process, is refused.
    CHECK_FALSE(SupervisorLock::tryAcquire(path));
    CHECK(SupervisorLock::heldByOther(path));
    first->releaseAndRemove();
    struct stat st {};
    CHECK(::stat(path.c_str(), &st) != 0);
    CHECK_FALSE(SupervisorLock::heldByOther(path));
    auto second = SupervisorLock::tryAcquire(path);
    CHECK(second);
}

TEST_CASE("supervisor lock is exclusive among many threads racing for it", "[supervisor][lock]") {
    wt::TempDir dir;
    auto path = dir / "supervisor.lock";
    std::vector<std::optional<SupervisorLock>> got(16);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i)
        threads.emplace_back([&, i] { got[i] = SupervisorLock::tryAcquire(path); });
    for (auto& t : threads) t.join();
    int winners = 0;
    for (auto& g : got) winners += g.has_value();
    CHECK(winners == 1);
}

TEST_CASE("supervisor request files are placed once and taken once", "[supervisor][requests]") {
    wt::TempDir dir;
    auto path = dir / "restart-request.json";
    CHECK_FALSE(takeRequest(path));
    CHECK(placeRequest(path, "one") == Placed::Yes);
    CHECK(placeRequest(path, "two") == Placed::AlreadyPending);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(takeRequest(path) == std::optional<std::string>("one"));
    CHECK_FALSE(takeRequest(path));
    CHECK(placeRequest(path, "three") == Placed::Yes);
    CHECK(takeRequest(path) == std::optional<std::string>("three"));
    // No temp or taken files are left behind.
    CHECK(wt::run({"/bin/ls", "-A", dir.path()}).out.empty());
}

TEST_CASE("supervisor restart requests round-trip and reject junk", "[supervisor][requests]") {
    RestartRequest r;
    r.requestedAt = 5;
    r.actor = "operator";
    r.reason = "stuck \"agent\"\nplease";
    r.nonce = "abc";
    std::string error;
    auto back = parseRestartRequest(restartRequestJson(r), error);
    REQUIRE(back);
    CHECK(back->reason == r.reason);
    CHECK(back->nonce == "abc");
    CHECK_FALSE(parseRestartRequest("{}", error));
    CHECK(wt::contains(error, "no nonce"));
    CHECK_FALSE(parseRestartRequest("[1]", error));
    auto control = parseControlRequest(controlRequestJson({"n1", true, true}));
    REQUIRE(control);
    CHECK(control->clearSafeMode);
}

TEST_CASE("supervisor restart rate limit allows one per interval", "[supervisor][requests]") {
    RestartRateLimiter limit(ms(30000));
    auto t0 = Mono::time_point{} + ms(1000000);
    ms wait{0};
    CHECK(limit.allows(t0, wait));
    limit.performed(t0);
    CHECK_FALSE(limit.allows(t0 + ms(1), wait));
    CHECK(wait == ms(29999));
    CHECK_FALSE(limit.allows(t0 + ms(29999), wait));
    CHECK(limit.allows(t0 + ms(30000), wait));
}

TEST_CASE("supervisor output log rotates by size and keeps N files", "[supervisor][log]") {
    wt::TempDir dir;
    auto path = dir / "server.out.log";
    {
        RotatingFile f(path, 100, 2);
        for (int i = 0; i < 10; ++i) f.write(std::string(40, static_cast<char>('a' + i)) + "\n");
    }
    CHECK(wt::readFile(path).size() <= 100);
    CHECK(wt::contains(wt::readFile(path), std::string(40, 'j')));
    CHECK(wt::readFile(RotatingFile::rotatedName(path, 1)).size() > 0);
    CHECK(wt::readFile(RotatingFile::rotatedName(path, 2)).size() > 0);
    struct stat st {};
    CHECK(::stat(RotatingFile::rotatedName(path, 3).c_str(), &st) != 0);
    CHECK(RotatingFile::rotatedName("/x/server.out.log", 2) == "/x/server.out.2.log");
}

TEST_CASE("supervisor status file round-trips and reads for people", "[supervisor][status]") {
    SupervisorStatus s;
    s.pid = 42;
    s.startedAt = 1000;
    s.version = "0.1.0";
    ChildStatus server;
    server.name = "server";
    server.state = "fatal";
    server.restarts = 4;
    server.starts = 5;
    LastExit e;
    e.kind = "code";
    e.code = 1;
    e.at = 2000;
    server.lastExit = e;
    server.since = 2000;
    server.reason = "crash loop: 5 starts";
    ChildStatus daemon;
    daemon.name = "daemon";
    daemon.state = "running";
    daemon.pid = 43;
    daemon.port = 5174;
    daemon.since = 1500;
    s.children = {server, daemon};
    auto back = parseStatus(statusJson(s));
    REQUIRE(back);
    REQUIRE(back->children.size() == 2);
    CHECK(back->children[0].lastExit->code == 1);
    CHECK(back->children[0].reason == "crash loop: 5 starts");
    auto text = statusReportText(back, std::nullopt, 62000);
    CHECK(wt::contains(text, "always-on: running (pid 42, up 1m 1s)"));
    // the one human format for times in text: local time, with its zone
    CHECK(wt::contains(text, "server: fatal, restarts 4, last exit code 1, since " + wildws::common::localTime(2000) +
                                 " (1m 0s ago)"));
    CHECK(wt::contains(text, "  reason: crash loop: 5 starts"));
    CHECK(wt::contains(text, "daemon: running, pid 43, port 5174, restarts 0"));
    CHECK(statusReportText(std::nullopt, std::nullopt, 0) == "always-on: not running\n");
    CHECK(wt::contains(statusReportJson(std::nullopt, std::nullopt, 0), "\"running\":false"));
}

TEST_CASE("supervisor status --json carries ISO 8601 times, the files keep ms", "[supervisor][status]") {
    SupervisorStatus s;
    s.pid = 42;
    s.startedAt = 1767225600000;     // 2026-01-01T00:00:00Z
    s.updatedAt = 1767225600500;
    ChildStatus server;
    server.name = "server";
    server.state = "backoff";
    LastExit e;
    e.kind = "signal";
    e.signal = "SIGKILL";
    e.at = 1767225601234;
    server.lastExit = e;
    server.since = 1767225601234;
    server.nextStartAt = 1767225603000;
    ChildStatus daemon;
    daemon.name = "daemon";
    daemon.state = "stopped"; // since 0: never
    s.children = {server, daemon};
    SafeMode mode;
    DisabledPlugin d;
    d.plugin = "x";
    d.at = 1767225602000;
    mode.disabled = {d};

    // The file: ms integers, as before.
    const std::string file = statusJson(s);
    CHECK(wt::contains(file, "\"startedAt\":1767225600000"));
    CHECK(wt::contains(file, "\"at\":1767225601234"));
    CHECK(wt::contains(file, "\"since\":1767225601234,\"nextStartAt\":1767225603000"));
    CHECK(wt::contains(json::toText(safeModeObject(mode)), "\"at\":1767225602000"));

    // The command's output: ISO 8601 UTC with ms, null for none (never 0).
    auto out = json::parseObject(statusReportJson(parseStatus(file), mode, 1767225610000));
    REQUIRE(out);
    CHECK(json::getString(out, "startedAt") == "2026-01-01T00:00:00.000Z");
    CHECK(json::getInt(out, "uptimeMs") == 10000);
    auto srv = json::getObject(json::getObject(out, "children"), "server");
    CHECK(json::getString(json::getObject(srv, "lastExit"), "at") == "2026-01-01T00:00:01.234Z");
    CHECK(json::getString(srv, "since") == "2026-01-01T00:00:01.234Z");
    CHECK(json::getString(srv, "nextStartAt") == "2026-01-01T00:00:03.000Z");
    auto dmn = json::getObject(json::getObject(out, "children"), "daemon");
    CHECK(json::isNull(dmn, "since"));
    CHECK(dmn->has("since"));
    CHECK(json::isNull(dmn, "nextStartAt"));
    auto disabled = json::getArray(json::getObject(out, "safeMode"), "disabled");
    REQUIRE(disabled);
    CHECK(json::getString(disabled->getObject(0), "at") == "2026-01-01T00:00:02.000Z");
}

TEST_CASE("supervisor a FIFO in place of a state file is refused, never waited on", "[supervisor][requests]") {
    wt::TempDir dir;
    const std::string status = dir / "supervisor-status.json";
    const std::string request = dir / "restart-request.json";
    REQUIRE(::mkfifo(status.c_str(), 0600) == 0);
    REQUIRE(::mkfifo(request.c_str(), 0600) == 0);
    // Each would block in open() forever if it were read like a file.
    CHECK_FALSE(readStatus(status));
    CHECK(takeRequest(request).value_or("x").empty());
}

TEST_CASE("supervisor restart results round-trip and name their request", "[supervisor][requests]") {
    RestartResult r{"n1", true, "restarted the server: pid 1 -> pid 2", 1, 2};
    auto back = parseRestartResult(restartResultJson(r));
    REQUIRE(back);
    CHECK(back->nonce == "n1");
    CHECK(back->ok);
    CHECK(back->detail == r.detail);
    CHECK(back->oldPid == 1);
    CHECK(back->pid == 2);
    CHECK_FALSE(parseRestartResult("{\"ok\":true}"));
    CHECK_FALSE(parseRestartResult("garbage"));
}
