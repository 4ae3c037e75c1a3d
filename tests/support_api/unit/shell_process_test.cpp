#include "shell_action.hpp"

#include <wildws/process.hpp>

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace wildws;
using namespace wildws::support;

namespace {

/// Everything on stdout until EOF (or 10 s).
std::string readAll(ChildProcess& p) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    char buf[4096];
    while (p.stdoutFd() >= 0 && std::chrono::steady_clock::now() < deadline) {
        pollfd f{p.stdoutFd(), POLLIN, 0};
        if (::poll(&f, 1, 100) <= 0) continue;
        long n = p.read(ChildProcess::Stream::Stdout, buf, sizeof buf);
        if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

/// The shell as the action starts it.
ChildProcess shell(const std::string& command, const std::string& cwd = "") {
    return ChildProcess::spawn(shellSpawnOptions(command, cwd));
}

bool alive(int pid) { return ::kill(pid, 0) == 0; }

} // namespace

TEST_CASE("support shell: a new group, no blocked signals, the asked cwd, no secrets in env", "[support_api][unit]") {
    wt::TempDir tmp;
    ::setenv("WILD_WORKSPACE_SUPPORT_SECRET", "not-for-children", 1);
    auto p = shell("echo pgid=$(ps -o pgid= -p $$ | tr -d ' ') pid=$$; grep SigBlk /proc/self/status; pwd; "
                   "env | grep -c WILD_WORKSPACE_SUPPORT_SECRET",
                   tmp.path());
    ::unsetenv("WILD_WORKSPACE_SUPPORT_SECRET");
    auto out = readAll(p);
    CHECK(p.finish().value() == 1); // grep -c found nothing: exit 1
    auto lines = wt::lines(out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "pgid=" + std::to_string(p.pid()) + " pid=" + std::to_string(p.pid()));
    CHECK(wt::contains(lines[1], "0000000000000000"));
    CHECK(lines[2] == tmp.path());
    CHECK(lines[3] == "0");
}

TEST_CASE("support shell: killing the group ends what the command started", "[support_api][unit]") {
    auto p = shell("sleep 30 & echo $!; wait");
    std::string first;
    char buf[64];
    for (int i = 0; i < 100 && first.find('\n') == std::string::npos; ++i) {
        pollfd f{p.stdoutFd(), POLLIN, 0};
        if (::poll(&f, 1, 100) > 0) {
            long n = p.read(ChildProcess::Stream::Stdout, buf, sizeof buf);
            if (n > 0) first.append(buf, static_cast<std::size_t>(n));
        }
    }
    int sleeper = std::stoi(first);
    CHECK(alive(sleeper));
    CHECK_FALSE(p.exited());
    p.signalGroup(SIGKILL);
    CHECK(p.finish().value() == 128 + SIGKILL);
    for (int i = 0; i < 100 && alive(sleeper); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(alive(sleeper));
}

TEST_CASE("support shell: a missing cwd is an error, not a crash", "[support_api][unit]") {
    CHECK_THROWS_WITH(shell("true", "/no/such/dir"),
                      Catch::Contains("cannot start /bin/sh in /no/such/dir"));
}
