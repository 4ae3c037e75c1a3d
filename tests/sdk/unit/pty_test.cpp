// The PTY option: what `claude auth login` needs (issue 18) - a real
// terminal as the controlling terminal, input written later, and the group
// kill for a process that ignores SIGTERM (and SIGHUP).
#include "process_support.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

using namespace wildws;
using namespace std::chrono_literals;
using Stream = ChildProcess::Stream;

namespace {

/// Fields 4-7 of /proc/<pid>/stat: ppid, pgrp, session, tty_nr.
std::vector<long> statFields(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(in, text);
    std::istringstream rest(text.substr(text.rfind(')') + 2));
    std::string state;
    long ppid = 0, pgrp = 0, sid = 0, tty = 0;
    rest >> state >> ppid >> pgrp >> sid >> tty;
    return {ppid, pgrp, sid, tty};
}

} // namespace

TEST_CASE("sdk pty: the child runs on a terminal of its own, and input written later reaches it", "[sdk][pty]") {
    SpawnOptions o = pt::shell("[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo on-a-tty; stty size; "
                               "printf 'Paste code here if prompted > '; read -r code; echo \"code=$code\"");
    o.pty = true;
    o.ptyRows = 40;
    o.ptyCols = 100;
    auto p = ChildProcess::spawn(o);
    REQUIRE(p.terminalFd() >= 0);
    CHECK(p.stdinFd() == -1);
    CHECK(p.stdoutFd() == -1);
    auto seen = pt::readUntil(p, Stream::Terminal, "prompted > ");
    CHECK(wt::contains(seen, "on-a-tty\r\n")); // the terminal's line discipline: \n becomes \r\n
    CHECK(wt::contains(seen, "40 100\r\n"));
    auto f = statFields(p.pid());
    CHECK(f[1] == p.pid()); // its own group
    CHECK(f[2] == p.pid()); // and session
    CHECK(f[3] != 0);       // with a controlling terminal
    CHECK(p.writeStdin("4711\n"));
    auto rest = pt::readAll(p, Stream::Terminal); // until the terminal's end (EIO)
    CHECK(wt::contains(rest, "code=4711"));
    CHECK(p.terminalFd() == -1);
    REQUIRE(p.waitExited(10s));
    CHECK(p.finish().value() == 0);
}

TEST_CASE("sdk pty: a process on the terminal that ignores SIGTERM and SIGHUP is killed with its group", "[sdk][pty]") {
    SpawnOptions o = pt::shell("trap '' TERM HUP; sleep 30 & echo child=$!; while :; do sleep 1; done");
    o.pty = true;
    auto p = ChildProcess::spawn(o);
    auto seen = pt::readUntil(p, Stream::Terminal, "\r\n");
    REQUIRE(wt::contains(seen, "child="));
    int child = std::stoi(seen.substr(seen.find("child=") + 6));
    p.terminate(200ms);
    std::optional<ExitStatus> st;
    while (!(st = p.exited())) {
        int due = p.killDueInMs();
        pollfd f{p.pidFd(), POLLIN, 0};
        ::poll(&f, 1, due > 0 ? due : 20);
    }
    CHECK(st->signal == SIGKILL);
    p.finish();
    CHECK(pt::gone(child));
    CHECK(::waitpid(p.pid(), nullptr, WNOHANG) == -1);
}
