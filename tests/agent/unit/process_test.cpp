// The agent's children through the SDK's ChildProcess: a new group, a clean
// signal mask and dispositions, nothing inherited but 0-2, no shell, the
// agent's scrubbed environment.
#include "support.hpp"

#include "child_env.hpp"

#include <wildws/process.hpp>

#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

using namespace wildws::agent;
using wildws::ChildProcess;
using wildws::runToEnd;
using SpawnSpec = wildws::SpawnOptions;

namespace {

std::string tempPath(const char* name) {
    return "/tmp/wildws-agent-test-" + std::to_string(::getpid()) + "-" + name;
}

Poco::JSON::Object::Ptr readRecord(const std::string& path) {
    REQUIRE(at::waitForFile(path, std::chrono::seconds(10)));
    return Poco::JSON::Parser().parse(at::readFile(path)).extract<Poco::JSON::Object::Ptr>();
}

/// One stream until its end (or `until` appears).
std::string readStream(ChildProcess& g, ChildProcess::Stream s, const std::string& until = "") {
    std::string out;
    char buf[4096];
    for (;;) {
        int fd = s == ChildProcess::Stream::Stdout ? g.stdoutFd() : g.stderrFd();
        if (fd < 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) break;
        long n = g.read(s, buf, sizeof buf);
        if (n == 0) break;
        if (n > 0) out.append(buf, static_cast<std::size_t>(n));
        if (!until.empty() && out.find(until) != std::string::npos) break;
    }
    return out;
}

std::string runToEnd(ChildProcess& g) {
    std::string out = readStream(g, ChildProcess::Stream::Stdout);
    g.finish();
    return out;
}

} // namespace

TEST_CASE("a spawned agent leads its own group with a clean signal state and only fds 0-2", "[process]") {
    // Make the parent state hostile: blocked TERM/INT, ignored PIPE/TERM/HUP,
    // and a descriptor without O_CLOEXEC.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    auto oldPipe = ::signal(SIGPIPE, SIG_IGN);
    auto oldHup = ::signal(SIGHUP, SIG_IGN);
    int leaked = ::open("/dev/null", O_RDONLY); // no O_CLOEXEC on purpose
    std::string log = tempPath("hygiene.json");
    ::unlink(log.c_str());

    SpawnSpec spec;
    spec.argv = {FAKE_CMD, "hello"};
    spec.env = childEnvironment({{"AGENT_FIXTURE_LOG", log}}, scrubPatterns({}));
    spec.cwd = "/tmp";
    auto g = ChildProcess::spawn(spec);
    std::string out = runToEnd(g);

    ::close(leaked);
    ::signal(SIGPIPE, oldPipe);
    ::signal(SIGHUP, oldHup);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);

    CHECK(out == "you said: hello\ndone\n");
    auto rec = readRecord(log);
    ::unlink(log.c_str());
    CHECK(rec->getValue<int>("pgid") == rec->getValue<int>("pid"));
    CHECK(rec->getValue<int>("pid") == g.pid());
    CHECK(rec->getValue<std::string>("sigBlk") == "0000000000000000");
    // glibc's posix_spawn leaves its two internal signals (32, 33) ignored
    // across exec (a glibc detail; the program's libc re-arms them on use).
    auto ignored = std::stoull(rec->getValue<std::string>("sigIgn"), nullptr, 16);
    CHECK((ignored & ~0x180000000ULL) == 0);
    CHECK(rec->getValue<std::string>("cwd") == "/tmp");
    auto fds = rec->getArray("fds");
    std::vector<std::string> open;
    for (std::size_t i = 0; i < fds->size(); ++i) open.push_back(fds->getElement<std::string>(static_cast<unsigned>(i)));
    std::sort(open.begin(), open.end());
    CHECK(open == std::vector<std::string>{"0", "1", "2"});
}

TEST_CASE("the environment loses WILD_WORKSPACE_* and WILDWS_* but keeps the agent's own keys", "[process][env]") {
    ::setenv("WILD_WORKSPACE_SUPPORT_SECRET", "s3cret-support", 1);
    ::setenv("WILDWS_SET", "serve.port=1", 1);
    ::setenv("ANTHROPIC_API_KEY", "the-agents-own-key", 1);
    ::setenv("MY_EXTRA_TOKEN", "scrub-me", 1);
    auto env = childEnvironment({{"WILD_WORKSPACE_SHARE_SECRET", "added-by-a-backend"}, {"EXTRA", "1"}},
                                scrubPatterns({"MY_EXTRA_*"}));
    ::unsetenv("WILD_WORKSPACE_SUPPORT_SECRET");
    ::unsetenv("WILDWS_SET");
    ::unsetenv("ANTHROPIC_API_KEY");
    ::unsetenv("MY_EXTRA_TOKEN");
    std::string all;
    for (auto& e : env) all += e + "\n";
    CHECK(all.find("s3cret-support") == std::string::npos);
    CHECK(all.find("WILDWS_SET") == std::string::npos);
    CHECK(all.find("added-by-a-backend") == std::string::npos);
    CHECK(all.find("scrub-me") == std::string::npos);
    CHECK(all.find("ANTHROPIC_API_KEY=the-agents-own-key") != std::string::npos);
    CHECK(all.find("EXTRA=1") != std::string::npos);
    CHECK(isScrubbed("WILD_WORKSPACE_HOME", scrubPatterns({})));
    CHECK_FALSE(isScrubbed("WILD", scrubPatterns({})));
}

TEST_CASE("a group signal reaches the grandchild, and the leader is reaped", "[process]") {
    SpawnSpec spec;
    spec.argv = {FAKE_CMD, "grandchild"};
    auto g = ChildProcess::spawn(spec);
    // The fixture names its grandchild on stderr.
    std::string err = readStream(g, ChildProcess::Stream::Stderr, "\n");
    REQUIRE(err.find('\n') != std::string::npos);
    int grandchild = std::stoi(err.substr(err.find(' ') + 1));
    CHECK_FALSE(at::processGone(grandchild));
    CHECK_FALSE(g.exited());
    g.signalGroup(SIGTERM);
    REQUIRE(g.waitExited(std::chrono::seconds(10)));
    CHECK(g.finish().value() == 128 + SIGTERM);
    CHECK(at::waitGone(grandchild, std::chrono::seconds(2)));
    CHECK(::waitpid(g.pid(), nullptr, WNOHANG) == -1); // no zombie left: already reaped
}

TEST_CASE("spawn failures say what and why", "[process]") {
    SpawnSpec spec;
    spec.argv = {"/nonexistent/agent"};
    CHECK_THROWS_WITH(ChildProcess::spawn(spec), Catch::Contains("/nonexistent/agent") && Catch::Contains("No such file"));
    spec.argv = {"relative/agent"};
    CHECK_THROWS_WITH(ChildProcess::spawn(spec), Catch::Contains("absolute"));
    spec.argv = {FAKE_CMD};
    spec.cwd = "/nonexistent-dir";
    CHECK_THROWS_WITH(ChildProcess::spawn(spec), Catch::Contains("/nonexistent-dir"));
}

TEST_CASE("runToEnd reads a version and gives up on a hang", "[process]") {
    auto run = [](std::vector<std::string> argv, int timeoutMs) {
        SpawnSpec spec;
        spec.argv = std::move(argv);
        return runToEnd(spec, std::chrono::milliseconds(timeoutMs));
    };
    auto v = run({FAKE_CLAUDE, "--version"}, 5000);
    REQUIRE(v.status.value() == 0);
    CHECK(v.out == "2.0.14 (Claude Code)\n");
    auto start = std::chrono::steady_clock::now();
    CHECK(run({"/bin/sleep", "30"}, 300).timedOut);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    CHECK(run({"/bin/false"}, 3000).status.value() != 0);
}
