#include "pid_record.hpp"
#include "proc.hpp"

#include "wildws_test.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace wildws::supervisor;

TEST_CASE("supervisor pid record matches only the same pid and start time", "[supervisor][pid]") {
    PidRecord r;
    r.pid = 4242;
    r.startTime = 1000;
    CHECK_FALSE(mismatch(r, 4242, 1000).has_value());
    auto otherPid = mismatch(r, 4243, 1000);
    REQUIRE(otherPid);
    CHECK(wt::contains(*otherPid, "names pid 4242"));
    auto reused = mismatch(r, 4242, 1001);
    REQUIRE(reused);
    CHECK(wt::contains(*reused, "the pid was reused"));
}

TEST_CASE("supervisor pid record round-trips and reads our own live process", "[supervisor][pid]") {
    wt::TempDir dir;
    PidRecord me;
    me.pid = ::getpid();
    me.startTime = processStartTime(::getpid()).value();
    me.startedAt = 1795540176970;
    me.port = 5173;
    me.version = "0.1.0";
    me.role = "workspace";
    writePidRecord(dir / "server.pid", me);
    auto back = readPidRecord(dir / "server.pid");
    REQUIRE(back);
    CHECK(back->pid == me.pid);
    CHECK(back->startTime == me.startTime);
    CHECK(back->port == 5173);
    CHECK(back->role == "workspace");
    CHECK(liveRecord(dir / "server.pid"));
}

TEST_CASE("supervisor pid record naming a live process with another start time is not live", "[supervisor][pid]") {
    wt::TempDir dir;
    PidRecord fake;
    fake.pid = ::getpid();
    fake.startTime = processStartTime(::getpid()).value() + 12345;
    writePidRecord(dir / "server.pid", fake);
    CHECK_FALSE(liveRecord(dir / "server.pid"));
    CHECK(pidfdIfSame(fake.pid, fake.startTime) < 0);
}

TEST_CASE("supervisor pid record of a dead or zombie process is not live", "[supervisor][pid]") {
    wt::TempDir dir;
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    // Wait until it is a zombie, but do not reap it yet.
    for (int i = 0; i < 200 && processState(child) != 'Z'; ++i) ::usleep(10000);
    PidRecord r;
    r.pid = child;
    r.startTime = processStartTime(child).value_or(0);
    writePidRecord(dir / "x.pid", r);
    CHECK_FALSE(processRunning(child));
    CHECK_FALSE(liveRecord(dir / "x.pid"));
    ::waitpid(child, nullptr, 0);
    CHECK_FALSE(liveRecord(dir / "x.pid"));
}

TEST_CASE("supervisor pid record that is missing, corrupt or incomplete reads as nothing", "[supervisor][pid]") {
    wt::TempDir dir;
    CHECK_FALSE(readPidRecord(dir / "none.pid"));
    wt::writeFile(dir / "bad.pid", "{not json");
    CHECK_FALSE(readPidRecord(dir / "bad.pid"));
    wt::writeFile(dir / "nostart.pid", "{\"pid\":1}");
    CHECK_FALSE(readPidRecord(dir / "nostart.pid"));
    wt::writeFile(dir / "strpid.pid", "{\"pid\":\"1\",\"startTime\":5}");
    CHECK_FALSE(readPidRecord(dir / "strpid.pid"));
    wt::writeFile(dir / "neg.pid", "{\"pid\":-1,\"startTime\":5}");
    CHECK_FALSE(readPidRecord(dir / "neg.pid"));
}

TEST_CASE("supervisor removeIfNames leaves a file naming another pid", "[supervisor][pid]") {
    wt::TempDir dir;
    PidRecord r;
    r.pid = 999999;
    r.startTime = 1;
    writePidRecord(dir / "s.pid", r);
    removeIfNames(dir / "s.pid", 12345);
    CHECK(readPidRecord(dir / "s.pid"));
    removeIfNames(dir / "s.pid", 999999);
    CHECK_FALSE(readPidRecord(dir / "s.pid"));
}

TEST_CASE("supervisor signal names", "[supervisor][pid]") {
    CHECK(signalName(SIGSEGV) == "SIGSEGV");
    CHECK(signalName(SIGKILL) == "SIGKILL");
    CHECK(signalName(63) == "signal 63");
}
