// Crash loops: exactly K starts, then fatal, then nothing - counted from the
// children's own output and crash.log, not from the supervisor's word - and
// the other child is not disturbed.
#include "harness.hpp"

#include "http_client.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace st;

namespace {

// Holds a loopback port so `wildws serve|daemon` on it exits 1 at once.
class PortSquatter {
public:
    explicit PortSquatter(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd_, 4) == 0;
    }
    ~PortSquatter() { release(); }
    void release() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    bool ok() const { return ok_; }

private:
    int fd_ = -1;
    bool ok_ = false;
};

int countLines(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto& l : wt::lines(text)) n += wt::contains(l, needle) ? 1 : 0;
    return n;
}

} // namespace

TEST_CASE("supervisor exactly K starts then fatal and none after while the daemon stays up",
          "[supervisor][integration]") {
    Home home({{}, "crash_loop_starts = 4\ncrash_loop_window_seconds = 60\n", ""});
    PortSquatter squat(home.serverPort());
    REQUIRE(squat.ok());
    auto start = home.cli({"always-on", "start"});
    INFO(start.out << start.err);
    CHECK(start.code == 1); // the server never came up
    CHECK(wt::contains(start.err, "server: fatal: crash loop: 4 starts within 60 s and none became healthy"));
    CHECK(wt::contains(start.err, "in use")); // the child's own last line says why
    CHECK(wt::contains(start.out, "daemon: running on"));
    int daemon = home.childPid("daemon");
    REQUIRE(daemon > 0);

    REQUIRE(waitFor([&] { return home.childState("server") == "fatal"; }, 20s));
    // The children's own output: one "listening or in use" attempt per start.
    auto out = wt::readFile(home.file("logs/server.out.log"));
    CHECK(home.startsLogged("server") == 4);
    CHECK(countLines(out, "is in use") == 4);
    // ...and none after: wait well past the largest backoff.
    std::this_thread::sleep_for(2s);
    CHECK(home.startsLogged("server") == 4);
    CHECK(countLines(wt::readFile(home.file("logs/server.out.log")), "is in use") == 4);
    CHECK(home.childState("server") == "fatal");
    CHECK(home.childField("server", "starts") == "4");

    // The daemon was never touched.
    CHECK(home.childPid("daemon") == daemon);
    CHECK(home.childState("daemon") == "running");
    CHECK(Home::healthy(home.daemonPort()));
    CHECK(home.startsLogged("daemon") == 1);

    auto status = home.cli({"always-on", "status"});
    CHECK(wt::contains(status.out, "server: fatal, restarts 3, last exit code 1"));
    CHECK(wt::contains(status.out, "reason: crash loop: 4 starts"));
    CHECK(wt::contains(status.out, "safe mode not tried: the last exit (code 1) was not a crash"));

    // `always-on start` again: the count starts over and the server comes up.
    squat.release();
    auto again = home.cli({"always-on", "start"});
    INFO(again.out << again.err);
    CHECK(again.code == 0);
    CHECK(wt::contains(again.out, "already running"));
    CHECK(wt::contains(again.out, "server: running on"));
    CHECK(home.childPid("daemon") == daemon);
}

TEST_CASE("supervisor the server stays up while the daemon crash-loops", "[supervisor][integration]") {
    Home home({{}, "crash_loop_starts = 3\n", ""});
    PortSquatter squat(home.daemonPort());
    REQUIRE(squat.ok());
    auto start = home.cli({"always-on", "start"});
    INFO(start.out << start.err);
    CHECK(start.code == 1);
    CHECK(wt::contains(start.err, "daemon: fatal: crash loop: 3 starts"));
    int server = home.childPid("server");
    REQUIRE(server > 0);
    std::this_thread::sleep_for(1500ms);
    CHECK(home.startsLogged("daemon") == 3);
    CHECK(home.childPid("server") == server);
    CHECK(Home::healthy(home.serverPort()));
    CHECK(home.startsLogged("server") == 1);
}

TEST_CASE("supervisor a segfaulting server crash-loops exactly K times with safe mode off",
          "[supervisor][integration]") {
    // The tick crashes ~50 ms after start; healthy_after_ms keeps a slow
    // (loaded) start from counting as healthy before the tick ran.
    Home home({{"crashfx"}, "crash_loop_starts = 3\nsafe_mode = false\nhealthy_after_ms = 3000\n", ""});
    wt::writeFile(home.file("crashfx-tick"), "");
    auto start = home.cli({"always-on", "start"});
    INFO(start.out << start.err);
    CHECK(start.code == 1);
    CHECK(wt::contains(start.err, "last exit signal SIGSEGV"));
    CHECK(wt::contains(start.err, "safe mode is off"));
    std::this_thread::sleep_for(1500ms);
    CHECK(home.startsLogged("server") == 3);
    // The host's crash handler wrote one line per crash, naming the fixture.
    auto crashes = wt::lines(wt::readFile(home.file("crash.log")));
    CHECK(crashes.size() == 3);
    for (auto& c : crashes) CHECK(wt::contains(c, "\"plugin\":\"crashfx\",\"call\":\"tick crash\""));
    CHECK(Home::healthy(home.daemonPort()));
}

TEST_CASE("supervisor a wedged server is killed and replaced", "[supervisor][integration]") {
    Home home({{"wedgefx"}, "health_failures = 2\nhealth_interval_ms = 200\nhealth_timeout_ms = 500\nstop_grace_ms = 1000\n",
               "threads = 2\nqueue = 8\n"});
    REQUIRE(home.cli({"always-on", "start"}).code == 0);
    REQUIRE(waitFor([&] { return home.childState("server") == "running"; }, 10s));
    int server = home.childPid("server");
    // Block both HTTP workers; the process lives on but /health cannot answer.
    std::vector<std::thread> blockers;
    for (int i = 0; i < 2; ++i)
        blockers.emplace_back([&] { wt::http(home.serverPort(), "GET", "/fx/wedgefx/block", {}, {}, 500ms); });
    for (auto& t : blockers) t.join();
    REQUIRE(alive(server));
    REQUIRE(waitFor([&] { return home.childPid("server") != server && home.childPid("server") > 0; }, 20s));
    CHECK_FALSE(alive(server));
    CHECK(wt::contains(home.childField("server", "lastExit.cause"), "wedged: /health failed 2 times in a row"));
    CHECK(waitFor([&] { return Home::healthy(home.serverPort()); }, 10s));
    auto log = wt::readFile(home.file("logs/supervisor.log"));
    CHECK(wt::contains(log, "server: wedged: /health failed 2 times in a row (last: timed out after"));
}
