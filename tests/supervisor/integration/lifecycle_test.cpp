// start / status / stop / run: the supervisor's life and what it leaves.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

using namespace st;

namespace {

bool exists(const std::string& path) {
    struct stat s {};
    return ::stat(path.c_str(), &s) == 0;
}

} // namespace

TEST_CASE("supervisor start runs both children and stop leaves no child, lock or pid file",
          "[supervisor][integration]") {
    Home home;
    auto start = home.cli({"always-on", "start"});
    INFO(start.out << start.err);
    REQUIRE(start.code == 0);
    CHECK(wt::contains(start.out, "always-on: started (supervisor pid "));
    CHECK(wt::contains(start.out, "server: running on http://127.0.0.1:" + std::to_string(home.serverPort())));
    CHECK(wt::contains(start.out, "daemon: running on http://127.0.0.1:" + std::to_string(home.daemonPort())));
    // start returns once both answer /health
    CHECK(Home::healthy(home.serverPort()));
    CHECK(Home::healthy(home.daemonPort()));

    int sup = home.supervisorPid();
    int server = home.childPid("server");
    int daemon = home.childPid("daemon");
    REQUIRE(alive(sup));
    REQUIRE(alive(server));
    REQUIRE(alive(daemon));
    // Detached: its own session, no controlling terminal, cwd "/".
    CHECK(::getsid(sup) == sup);
    CHECK(std::filesystem::read_symlink("/proc/" + std::to_string(sup) + "/cwd") == "/");
    // Each child leads its own process group.
    CHECK(::getpgid(server) == server);
    CHECK(::getpgid(daemon) == daemon);
    // The children run with the same --home and --plugins-dir.
    auto cmd = wt::readFile("/proc/" + std::to_string(server) + "/cmdline");
    CHECK(wt::contains(cmd, home.path()));
    CHECK(wt::contains(cmd, home.pluginsDir()));

    auto status = home.cli({"always-on", "status"});
    CHECK(status.code == 0);
    CHECK(wt::contains(status.out, "always-on: running (pid " + std::to_string(sup) + ", up "));
    CHECK(waitFor([&] { return home.childState("server") == "running" && home.childState("daemon") == "running"; },
                  10s));
    auto json = home.cli({"always-on", "status", "--json"});
    CHECK(jsonAt(json.out, "running") == "true");
    CHECK(jsonAt(json.out, "children.server.pid") == std::to_string(server));
    CHECK(jsonAt(json.out, "children.daemon.state") == "running");

    auto stop = home.cli({"always-on", "stop"});
    INFO(stop.out << stop.err);
    CHECK(stop.code == 0);
    CHECK(wt::contains(stop.out, "always-on: stopped (supervisor pid " + std::to_string(sup)));
    CHECK_FALSE(alive(sup));
    CHECK_FALSE(alive(server));
    CHECK_FALSE(alive(daemon));
    for (auto f : {"supervisor.lock", "supervisor.pid", "server.pid", "daemon.pid", "supervisor-status.json"}) {
        INFO(f);
        CHECK_FALSE(exists(home.file(f)));
    }
    CHECK(processesWith({home.path()}).empty());
    // The children were asked to stop, not killed: they exited 0.
    auto log = wt::readFile(home.file("logs/supervisor.log"));
    CHECK(wt::contains(log, "server: stopped (pid " + std::to_string(server) + ", code 0)"));
    CHECK(wt::contains(log, "daemon: stopped (pid " + std::to_string(daemon) + ", code 0)"));

    auto again = home.cli({"always-on", "stop"});
    CHECK(again.code == 0);
    CHECK(again.out == "always-on: not running\n");
    auto after = home.cli({"always-on", "status"});
    CHECK(after.code == 3);
    CHECK(wt::contains(after.out, "always-on: not running"));
}

TEST_CASE("supervisor start when already running says so with its pid", "[supervisor][integration]") {
    Home home;
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    int sup = home.supervisorPid();
    auto again = home.cli({"always-on", "start"});
    INFO(again.out << again.err);
    CHECK(again.code == 0);
    CHECK(wt::contains(again.out, "always-on: already running (pid " + std::to_string(sup) + ")"));
    CHECK(home.supervisorPid() == sup);
    CHECK(processesWith({home.path(), "always-on run"}).size() == 1);
}

TEST_CASE("supervisor 20 concurrent starts make exactly one supervisor", "[supervisor][integration]") {
    Home home;
    std::vector<wt::Result> results(20);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { results[i] = home.cli({"always-on", "start"}); });
    for (auto& t : threads) t.join();
    auto supervisors = processesWith({home.path(), "always-on run"});
    REQUIRE(supervisors.size() == 1);
    int sup = supervisors[0];
    CHECK(home.supervisorPid() == sup);
    int started = 0;
    std::regex pidIn("pid (\\d+)\\)");
    for (auto& r : results) {
        INFO(r.out << r.err);
        CHECK(r.code == 0);
        std::smatch m;
        REQUIRE(std::regex_search(r.out, m, pidIn));
        CHECK(std::stoi(m[1]) == sup); // everybody names the one supervisor
        started += wt::contains(r.out, "always-on: started") ? 1 : 0;
    }
    CHECK(started == 1);
    // One server and one daemon too.
    CHECK(processesWith({home.path(), " serve "}).size() == 1);
    CHECK(processesWith({home.path(), " daemon "}).size() == 1);
}

TEST_CASE("supervisor lock fd is not inherited and a killed supervisor's children are adopted",
          "[supervisor][integration]") {
    Home home;
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    int sup = home.supervisorPid();
    int server = home.childPid("server");
    int daemon = home.childPid("daemon");
    // A18/A21: no child holds an fd on supervisor.lock.
    for (int pid : {server, daemon}) {
        for (auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
            std::error_code ec;
            auto target = std::filesystem::read_symlink(e.path(), ec).string();
            CHECK_FALSE(wt::contains(target, "supervisor.lock"));
        }
    }
    // kill -9 of the holder: the kernel drops the lock, the next start wins
    // and watches the children that kept running instead of fighting them.
    ::kill(sup, SIGKILL);
    REQUIRE(waitFor([&] { return !alive(sup); }, 5s));
    auto start = home.cli({"always-on", "start"});
    INFO(start.out << start.err);
    CHECK(start.code == 0);
    CHECK(wt::contains(start.out, "always-on: started"));
    CHECK(home.supervisorPid() != sup);
    CHECK(home.childPid("server") == server);
    CHECK(home.childPid("daemon") == daemon);
    CHECK(home.childField("server", "adopted") == "true");
    // An adopted child that dies is replaced by the new supervisor's own.
    ::kill(server, SIGKILL);
    CHECK(waitFor([&] { return home.childPid("server") != server && home.childPid("server") > 0; }, 10s));
    CHECK(waitFor([&] { return Home::healthy(home.serverPort()); }, 10s));
}

TEST_CASE("supervisor stop after the supervisor was killed stops what it left", "[supervisor][integration]") {
    Home home;
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    int sup = home.supervisorPid();
    int server = home.childPid("server");
    int daemon = home.childPid("daemon");
    ::kill(sup, SIGKILL);
    REQUIRE(waitFor([&] { return !alive(sup); }, 5s));
    auto stop = home.cli({"always-on", "stop"});
    INFO(stop.out << stop.err);
    CHECK(stop.code == 0);
    CHECK(wt::contains(stop.out, "not running; stopped what a supervisor that died left behind"));
    CHECK_FALSE(alive(server));
    CHECK_FALSE(alive(daemon));
    for (auto f : {"supervisor.lock", "supervisor.pid", "server.pid", "daemon.pid", "supervisor-status.json"}) {
        INFO(f);
        CHECK_FALSE(exists(home.file(f)));
    }
}

TEST_CASE("supervisor kill switch leaves the daemon unsupervised", "[supervisor][integration]") {
    Home home;
    wt::RunOptions env;
    env.env["WILD_WORKSPACE_NO_DAEMON_SUPERVISION"] = "1";
    auto start = home.cli({"always-on", "start"}, env);
    INFO(start.out << start.err);
    CHECK(start.code == 0);
    CHECK(wt::contains(start.out, "daemon: not supervised (WILD_WORKSPACE_NO_DAEMON_SUPERVISION=1)"));
    CHECK(home.childState("daemon") == "disabled");
    CHECK(processesWith({home.path(), " daemon "}).empty());
    CHECK(Home::healthy(home.serverPort()));
    auto status = home.cli({"always-on", "status"});
    CHECK(wt::contains(status.out, "daemon: disabled"));
    CHECK(wt::contains(status.out, "reason: WILD_WORKSPACE_NO_DAEMON_SUPERVISION=1"));
}

TEST_CASE("supervisor run in the foreground stops on SIGTERM with exit 0", "[supervisor][integration]") {
    Home home;
    wt::Child run(home.argv({"always-on", "run"}));
    REQUIRE(waitFor([&] { return Home::healthy(home.serverPort()) && Home::healthy(home.daemonPort()); }, 20s));
    int server = home.childPid("server");
    // A second foreground run refuses with exit 3.
    auto second = home.cli({"always-on", "run"});
    CHECK(second.code == 3);
    CHECK(wt::contains(second.out, "always-on: already running (pid " + std::to_string(run.pid()) + ")"));
    run.signal(SIGTERM);
    auto code = run.wait(20s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK_FALSE(alive(server));
    CHECK_FALSE(exists(home.file("supervisor.lock")));
}

TEST_CASE("supervisor config errors are refused naming the key", "[supervisor][integration]") {
    Home home({{}, "crash_loop_starts = lots\n", ""});
    auto start = home.cli({"always-on", "start"});
    CHECK(start.code == 2);
    CHECK(wt::contains(start.err, "crash_loop_starts"));
    CHECK(processesWith({home.path(), "always-on run"}).empty());
}

TEST_CASE("supervisor start --json and stop --json print the state they left", "[supervisor][integration]") {
    Home home;
    auto start = home.cli({"always-on", "start", "--json"});
    INFO(start.out << start.err);
    REQUIRE(start.code == 0);
    // Only the JSON on stdout: the status shape of `always-on status --json`.
    CHECK(wt::lines(start.out).size() == 1);
    CHECK(jsonAt(start.out, "running") == "true");
    CHECK(jsonAt(start.out, "pid") == std::to_string(home.supervisorPid()));
    CHECK_FALSE(jsonAt(start.out, "children.server.state").empty());
    auto stop = home.cli({"always-on", "stop", "--json"});
    INFO(stop.out << stop.err);
    CHECK(stop.code == 0);
    CHECK(wt::lines(stop.out).size() == 1);
    CHECK(jsonAt(stop.out, "running") == "false");
}
