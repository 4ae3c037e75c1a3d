// wildws::ChildProcess with real processes: the spawn hygiene, the group
// kill, "ended" only when the whole group is gone, pipes and their ends.
#include "process_support.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace wildws;
using namespace std::chrono_literals;
using Stream = ChildProcess::Stream;

TEST_CASE("sdk process: a new group, no blocked or ignored signals, only fds 0-2, the asked cwd", "[sdk][process]") {
    // A hostile parent: blocked TERM/INT, ignored PIPE/HUP, an fd without O_CLOEXEC.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    auto oldPipe = ::signal(SIGPIPE, SIG_IGN);
    auto oldHup = ::signal(SIGHUP, SIG_IGN);
    int leaked = ::open("/dev/null", O_RDONLY);
    wt::TempDir tmp;

    auto o = pt::shell("echo $$ $(cut -d' ' -f5 /proc/$$/stat); pwd; exec sleep 30");
    o.cwd = tmp.path();
    auto p = ChildProcess::spawn(o);
    ::close(leaked);
    ::signal(SIGPIPE, oldPipe);
    ::signal(SIGHUP, oldHup);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    std::string out;
    while (std::count(out.begin(), out.end(), '\n') < 2) {
        auto more = pt::readUntil(p, Stream::Stdout, "\n");
        REQUIRE_FALSE(more.empty());
        out += more;
    }
    // What `sleep` (exec'ed by the shell) holds open: only what we gave it.
    auto comm = [&] {
        std::ifstream in("/proc/" + std::to_string(p.pid()) + "/comm");
        std::string c;
        std::getline(in, c);
        return c;
    };
    for (int i = 0; i < 500 && comm() != "sleep"; ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(comm() == "sleep");
    // sleep's own start (the loader, the locale) opens and closes fds of its
    // own for a moment after the exec: an fd we leaked stays, those go.
    auto openFds = [&] {
        std::vector<std::string> fds;
        for (auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(p.pid()) + "/fd"))
            fds.push_back(e.path().filename().string());
        std::sort(fds.begin(), fds.end());
        return fds;
    };
    const std::vector<std::string> given{"0", "1", "2"};
    for (int i = 0; i < 200 && openFds() != given; ++i) std::this_thread::sleep_for(10ms);
    CHECK(openFds() == given);
    std::string sigBlk, sigIgn;
    std::ifstream status("/proc/" + std::to_string(p.pid()) + "/status");
    for (std::string l; std::getline(status, l);) {
        if (l.rfind("SigBlk:", 0) == 0) sigBlk = l.substr(l.find_first_not_of(" \t", 7));
        if (l.rfind("SigIgn:", 0) == 0) sigIgn = l.substr(l.find_first_not_of(" \t", 7));
    }
    CHECK(sigBlk == "0000000000000000");
    // glibc's posix_spawn leaves its two internal signals (32, 33) ignored.
    CHECK((std::stoull(sigIgn, nullptr, 16) & ~0x180000000ULL) == 0);
    CHECK(p.finish().signal == SIGKILL);
    auto lines = wt::lines(out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == std::to_string(p.pid()) + " " + std::to_string(p.pid())); // pid == pgid
    CHECK(lines[1] == tmp.path());
}

TEST_CASE("sdk process: the cwd and the environment are exactly what was asked", "[sdk][process]") {
    wt::TempDir tmp;
    auto o = pt::shell("pwd; echo \"[$ONLY]\" \"[$HOME]\"");
    o.cwd = tmp.path();
    o.env = {"ONLY=this"};
    auto r = runToEnd(o, 10s);
    CHECK(r.out == tmp.path() + "\n[this] []\n");
    CHECK(r.status.value() == 0);
}

TEST_CASE("sdk process: the environment loses scrubbed names and gains the added ones", "[sdk][process][env]") {
    ::setenv("WILD_WORKSPACE_SUPPORT_SECRET", "s3cret-support", 1);
    ::setenv("WILDWS_SET", "serve.port=1", 1);
    ::setenv("SDK_TEST_KEEP", "kept", 1);
    auto env = childEnvironment({"WILD_WORKSPACE_*", "WILDWS_SET"},
                                {{"WILD_WORKSPACE_SHARE_SECRET", "added"}, {"EXTRA", "1"}, {"SDK_TEST_KEEP", "new"}});
    ::unsetenv("WILD_WORKSPACE_SUPPORT_SECRET");
    ::unsetenv("WILDWS_SET");
    ::unsetenv("SDK_TEST_KEEP");
    std::string all;
    for (auto& e : env) all += e + "\n";
    CHECK_FALSE(wt::contains(all, "s3cret-support"));
    CHECK_FALSE(wt::contains(all, "WILDWS_SET"));
    CHECK_FALSE(wt::contains(all, "added"));
    CHECK(wt::contains(all, "\nEXTRA=1\n"));
    CHECK(std::count(env.begin(), env.end(), "SDK_TEST_KEEP=new") == 1);
    CHECK_FALSE(wt::contains(all, "SDK_TEST_KEEP=kept"));
    CHECK(nameMatches("WILD_WORKSPACE_HOME", {"WILD_WORKSPACE_*"}));
    CHECK_FALSE(nameMatches("WILD", {"WILD_WORKSPACE_*"}));
}

TEST_CASE("sdk process: a missing program, a relative one and a missing cwd each say what and why", "[sdk][process]") {
    SpawnOptions o;
    o.argv = {"/nonexistent/agent"};
    CHECK_THROWS_WITH(ChildProcess::spawn(o), "cannot start /nonexistent/agent: No such file or directory");
    o.argv = {"relative/agent"};
    CHECK_THROWS_WITH(ChildProcess::spawn(o), "cannot start 'relative/agent': the program must be an absolute path");
    o.argv = {"/bin/sh", "-c", "true"};
    o.cwd = "/no/such/dir";
    CHECK_THROWS_WITH(ChildProcess::spawn(o), "cannot start /bin/sh in /no/such/dir: No such file or directory");
    o.cwd.clear();
    o.argv = {"/etc/passwd"};
    CHECK_THROWS_WITH(ChildProcess::spawn(o), "cannot start /etc/passwd: Permission denied");
}

TEST_CASE("sdk process: a grandchild that outlives the leader is gone when finish returns", "[sdk][process][group]") {
    // The leader exits at once; its grandchild keeps stdout open and runs on.
    for (int trial = 0; trial < 5; ++trial) {
        auto p = ChildProcess::spawn(pt::shell("sleep 30 & echo $!; exit 7"));
        auto first = pt::readUntil(p, Stream::Stdout, "\n");
        int grandchild = std::stoi(first);
        REQUIRE(p.waitExited(10s));
        CHECK(p.exited()->code == 7);
        CHECK_FALSE(pt::gone(grandchild));
        auto status = p.finish();
        // No waiting here: when finish() returns, nothing of the group runs.
        CHECK(pt::gone(grandchild));
        CHECK(status.code == 7);
        CHECK(status.value() == 7);
        CHECK(p.finished());
        CHECK(::waitpid(p.pid(), nullptr, WNOHANG) == -1); // reaped: no zombie of ours left
    }
}

TEST_CASE("sdk process: a group signal reaches the grandchild, and the status names the signal", "[sdk][process][group]") {
    auto p = ChildProcess::spawn(pt::shell("sleep 30 & echo $!; wait"));
    int grandchild = std::stoi(pt::readUntil(p, Stream::Stdout, "\n"));
    CHECK_FALSE(p.exited());
    p.signalGroup(SIGTERM);
    auto st = p.waitExited(10s);
    REQUIRE(st);
    CHECK(st->signal == SIGTERM);
    CHECK(st->code == -1);
    CHECK(st->value() == 128 + SIGTERM);
    CHECK(pt::waitGone(grandchild, 5s));
    CHECK(p.finish().value() == 128 + SIGTERM);
}

TEST_CASE("sdk process: a child that ignores SIGTERM is SIGKILLed once the grace has passed", "[sdk][process][group]") {
    auto p = ChildProcess::spawn(pt::shell("trap '' TERM; sleep 30 & echo $!; while :; do sleep 1; done"));
    int grandchild = std::stoi(pt::readUntil(p, Stream::Stdout, "\n"));
    auto started = std::chrono::steady_clock::now();
    p.terminate(300ms);
    p.terminate(10s); // idempotent: the first grace stands
    CHECK(p.killDueInMs() > 0);
    std::optional<ExitStatus> st;
    while (!(st = p.exited())) {
        int due = p.killDueInMs();
        pollfd f{p.pidFd(), POLLIN, 0};
        ::poll(&f, 1, due > 0 ? due : 20);
    }
    CHECK(std::chrono::steady_clock::now() - started >= 300ms);
    CHECK(st->signal == SIGKILL);
    p.finish();
    CHECK(pt::gone(grandchild));
}

TEST_CASE("sdk process: a child that closes stdout early still runs, and its stderr and code arrive", "[sdk][process][pipes]") {
    auto p = ChildProcess::spawn(pt::shell("echo out; exec 1>&-; sleep 0.3; echo late-err >&2; exit 3"));
    CHECK(pt::readAll(p, Stream::Stdout) == "out\n");
    CHECK(p.stdoutFd() == -1); // our end was closed at its end
    CHECK_FALSE(p.exited());   // still sleeping
    CHECK(pt::readAll(p, Stream::Stderr) == "late-err\n");
    REQUIRE(p.waitExited(10s));
    CHECK(p.finish().code == 3);
}

TEST_CASE("sdk process: stdin stays open and is written in pieces, then closed", "[sdk][process][stdin]") {
    auto o = pt::shell("while read -r l; do echo \"got $l\"; done; echo bye");
    o.stdinMode = SpawnOptions::Input::Pipe;
    auto p = ChildProcess::spawn(o);
    REQUIRE(p.stdinFd() >= 0);
    CHECK(p.writeStdin("one\n"));
    CHECK(pt::readUntil(p, Stream::Stdout, "\n") == "got one\n");
    CHECK(p.writeStdin("tw"));
    std::this_thread::sleep_for(50ms);
    CHECK(p.writeStdin("o\n"));
    CHECK(pt::readUntil(p, Stream::Stdout, "\n") == "got two\n");
    p.closeStdin();
    CHECK(p.stdinFd() == -1);
    CHECK_FALSE(p.writeStdin("late\n"));
    CHECK(pt::readAll(p) == "bye\n");
    CHECK(p.finish().value() == 0);
}

TEST_CASE("sdk process: stdin larger than the pipe is queued and written as the child reads", "[sdk][process][stdin]") {
    auto o = pt::shell("sleep 0.3; wc -c"); // reads nothing for a while
    o.stdinMode = SpawnOptions::Input::Pipe;
    auto p = ChildProcess::spawn(o);
    std::string big(1 << 20, 'x');
    CHECK(p.writeStdin(big));
    CHECK(p.stdinPending()); // 1 MiB does not fit a 64 KiB pipe
    p.closeStdin();          // after the queue is written
    CHECK(p.stdinFd() >= 0);
    while (p.stdinPending()) {
        pollfd f{p.stdinFd(), POLLOUT, 0};
        ::poll(&f, 1, 1000);
        p.flushStdin();
    }
    CHECK(p.stdinFd() == -1);
    CHECK(wt::contains(pt::readAll(p), "1048576"));
    CHECK(p.finish().value() == 0);
}

TEST_CASE("sdk process: writing to a child that stopped reading is EPIPE, not SIGPIPE", "[sdk][process][stdin]") {
    // SIGPIPE keeps its default action here (it would kill the test).
    auto oldPipe = ::signal(SIGPIPE, SIG_DFL);
    auto o = pt::shell("exec 0<&-; echo closed; sleep 5");
    o.stdinMode = SpawnOptions::Input::Pipe;
    auto p = ChildProcess::spawn(o);
    CHECK(pt::readUntil(p, Stream::Stdout, "\n") == "closed\n");
    CHECK_FALSE(p.writeStdin("nobody reads this\n"));
    CHECK(p.stdinFd() == -1);
    sigset_t pending;
    sigpending(&pending);
    CHECK_FALSE(sigismember(&pending, SIGPIPE));
    ::signal(SIGPIPE, oldPipe);
}

TEST_CASE("sdk process: stderr into stdout, output to /dev/null or appended to a file", "[sdk][process][pipes]") {
    wt::TempDir tmp;
    auto o = pt::shell("echo a; echo b >&2; echo c");
    o.stderrMode = SpawnOptions::Output::Stdout;
    auto p = ChildProcess::spawn(o);
    CHECK(p.stderrFd() == -1);
    CHECK(pt::readAll(p) == "a\nb\nc\n");
    p.finish();

    o.stdoutMode = SpawnOptions::Output::AppendToFile;
    o.outputFile = tmp / "log";
    wt::writeFile(o.outputFile, "before\n");
    auto q = ChildProcess::spawn(o);
    CHECK(q.stdoutFd() == -1);
    REQUIRE(q.waitExited(10s));
    q.finish();
    CHECK(wt::readFile(o.outputFile) == "before\na\nb\nc\n");

    o.stdoutMode = SpawnOptions::Output::Null;
    o.stderrMode = SpawnOptions::Output::Pipe;
    auto n = ChildProcess::spawn(o);
    CHECK(n.stdoutFd() == -1);
    CHECK(pt::readAll(n, Stream::Stderr) == "b\n");
    n.finish();
}

TEST_CASE("sdk process: a new session has no controlling terminal, and release() leaves the child running", "[sdk][process]") {
    auto o = pt::shell("cut -d' ' -f4-7 /proc/$$/stat; sleep 30");
    o.newSession = true;
    auto p = ChildProcess::spawn(o);
    auto fields = wt::lines(pt::readUntil(p, Stream::Stdout, "\n"));
    REQUIRE(fields.size() == 1);
    std::string me = std::to_string(::getpid()), pid = std::to_string(p.pid());
    CHECK(fields[0] == me + " " + pid + " " + pid + " 0"); // ppid, pgrp, session, tty_nr
    pid_t kept = p.release();
    CHECK(p.stdoutFd() == -1);
    CHECK(p.pidFd() == -1);
    p.signalGroup(SIGKILL); // not ours any more: a no-op
    CHECK_FALSE(pt::gone(kept));
    ::kill(kept, SIGKILL);
    int status = 0;
    CHECK(::waitpid(kept, &status, 0) == kept);
    CHECK(WTERMSIG(status) == SIGKILL);
}

TEST_CASE("sdk process: the destructor ends a group that was never finished", "[sdk][process][group]") {
    int grandchild = -1;
    pid_t leader = -1;
    {
        auto p = ChildProcess::spawn(pt::shell("sleep 30 & echo $!; wait"));
        grandchild = std::stoi(pt::readUntil(p, Stream::Stdout, "\n"));
        leader = p.pid();
        auto moved = std::move(p); // the moved-from object owns nothing
        CHECK(p.pid() == -1);
        CHECK(moved.pid() == leader);
    }
    CHECK(pt::gone(grandchild));
    CHECK(::waitpid(leader, nullptr, WNOHANG) == -1);
}

TEST_CASE("sdk process: runToEnd collects output, feeds stdin and kills a hang at the timeout", "[sdk][process][run]") {
    auto r = runToEnd(pt::shell("cat; echo err >&2; exit 4"), 10s, "fed\n");
    CHECK(r.out == "fed\n");
    CHECK(r.err == "err\n");
    CHECK(r.status.code == 4);
    CHECK_FALSE(r.timedOut);

    auto started = std::chrono::steady_clock::now();
    auto hang = runToEnd(pt::shell("echo partial; sleep 30 & wait"), 300ms);
    CHECK(hang.timedOut);
    CHECK(hang.out == "partial\n");
    CHECK(hang.status.signal == SIGKILL);
    CHECK(std::chrono::steady_clock::now() - started < 5s);

    auto capped = runToEnd(pt::shell("head -c 100000 /dev/zero"), 10s, {}, 1000);
    CHECK(capped.out.size() == 1000);
    CHECK(capped.status.value() == 0);
    CHECK_THROWS_WITH(runToEnd(SpawnOptions{}, 1s), "cannot start '': the program must be an absolute path");
}

TEST_CASE("sdk process: start times name a process, and a reaped one has none", "[sdk][process][proc]") {
    CHECK(processStartTime(::getpid()).value_or(0) > 0);
    CHECK(processState(::getpid()) == 'R');
    auto p = ChildProcess::spawn(pt::shell("exit 0"));
    pid_t pid = p.pid();
    REQUIRE(p.waitExited(10s));
    CHECK(processState(pid) == 'Z'); // observed, not reaped
    CHECK(processStartTime(pid));
    p.finish();
    CHECK_FALSE(processStartTime(pid));
    CHECK_FALSE(processStartTime(0));
}
