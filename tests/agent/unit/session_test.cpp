// ProcessSession: the runner loop against fixture agents that misbehave.
#include "support.hpp"

#include "child_env.hpp"
#include "claude_parser.hpp"
#include "codex_parser.hpp"
#include "command_parser.hpp"
#include "process_session.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <thread>

using namespace wildws;
using namespace wildws::agent;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

/// A session on its own thread, joined at scope exit.
struct Run {
    std::shared_ptr<ProcessSession> session;
    std::thread thread;
    Run(const char* program, std::vector<std::string> args, std::string stdinText, RunLimits limits,
        std::unique_ptr<AgentOutputParser> parser, std::vector<std::pair<std::string, std::string>> env = {}) {
        session = std::make_shared<ProcessSession>("test", "fake", std::move(parser), limits);
        wildws::SpawnOptions spec;
        spec.argv = {program};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.env = childEnvironment(env, scrubPatterns({}));
        session->spawn(spec, std::move(stdinText));
        thread = std::thread([s = session] { s->run(); });
    }
    ~Run() {
        session->cancel("test over");
        if (thread.joinable()) thread.join();
    }
};

RunLimits quick() {
    RunLimits l;
    l.stall = 10s;
    l.total = 60s;
    l.killGrace = 500ms;
    return l;
}

int pidFromStderr(const std::vector<Chunk>& chunks, const std::string& tag) {
    for (auto& c : chunks)
        if (c.type == "stderr" && c.text.rfind(tag, 0) == 0) return std::stoi(c.text.substr(tag.size() + 1));
    return -1;
}

/// Reads chunks until one satisfies `pred`.
std::vector<Chunk> until(AgentSession& s, const std::function<bool(const Chunk&)>& pred, std::chrono::milliseconds d = 10s) {
    std::vector<Chunk> out;
    auto deadline = Clock::now() + d;
    while (Clock::now() < deadline) {
        auto c = s.next(20ms);
        if (!c) continue;
        out.push_back(*c);
        if (pred(*c)) break;
    }
    return out;
}

} // namespace

TEST_CASE("a claude transcript streams start, its chunks and a completed end", "[session]") {
    Run r(FAKE_CLAUDE, {}, "replay tool_use", quick(), std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session);
    REQUIRE(chunks.size() >= 3);
    CHECK(chunks.front().type == "start");
    CHECK(chunks.front().sessionId == "test");
    CHECK(chunks.back().type == "end");
    CHECK(chunks.back().reason == "completed");
    CHECK(chunks.back().code == 0);
    CHECK(chunks.back().resumeId == "claude-sess-1");
    CHECK(r.session->resumeId() == "claude-sess-1");
    CHECK(r.session->finished());
    CHECK_FALSE(r.session->next(10ms)); // nothing after end, ever
    CHECK(::waitpid(r.session->pid(), nullptr, WNOHANG) == -1); // reaped before end
}

TEST_CASE("an error result ends failed with the agent's exit code", "[session]") {
    Run r(FAKE_CLAUDE, {}, "replay error_result", quick(), std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session);
    CHECK(chunks.back().reason == "failed");
    CHECK(chunks.back().code == 1);
    CHECK(at::joinText(chunks, "error") == "the agent stopped after reaching its maximum number of turns\n");
}

TEST_CASE("a run without the final result ends with an error, never as success", "[session]") {
    SECTION("claude exits 0 without a result") {
        Run r(FAKE_CLAUDE, {}, "replay no_result", quick(), std::make_unique<ClaudeParser>());
        auto chunks = at::drain(*r.session);
        CHECK(chunks.back().reason == "no-result");
        CHECK(chunks.back().code == 0);
        CHECK(at::joinText(chunks, "error").find("without its final result") != std::string::npos);
    }
    SECTION("codex stops before turn.completed") {
        Run r(FAKE_CODEX, {}, "replay no_result", quick(), std::make_unique<CodexParser>());
        auto chunks = at::drain(*r.session);
        CHECK(chunks.back().reason == "no-result");
        CHECK(at::joinText(chunks, "text") == "Half an answer");
    }
    SECTION("an agent that exits non-zero at once") {
        Run r(FAKE_CLAUDE, {}, "exit-now 7", quick(), std::make_unique<ClaudeParser>());
        auto chunks = at::drain(*r.session, 5s);
        CHECK(at::types(chunks) == std::vector<std::string>{"start", "error", "end"});
        CHECK(chunks[1].message == "the agent ended without its final result (it exited with code 7)");
        CHECK(chunks.back().code == 7);
    }
    SECTION("a plain command that fails") {
        Run r(FAKE_CMD, {"exit-now 4"}, "", quick(), std::make_unique<CommandParser>());
        auto chunks = at::drain(*r.session, 5s);
        CHECK(chunks.back().reason == "failed");
        CHECK(at::joinText(chunks, "error") == "the agent exited with code 4\n");
    }
}

TEST_CASE("invalid JSON lines are shown as stderr and the run still completes", "[session]") {
    Run r(FAKE_CLAUDE, {}, "invalid-json", quick(), std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session);
    CHECK(chunks.back().reason == "completed");
    CHECK(at::joinText(chunks, "text") == "still here");
    std::string err = at::joinText(chunks, "stderr");
    CHECK(err.find("this is not json at all") != std::string::npos);
    CHECK(err.find("\xEF\xBF\xBD") != std::string::npos); // invalid bytes repaired, not passed on
}

TEST_CASE("10 MB on stdout and 10 MB on stderr at once neither deadlocks nor grows without bound", "[session][flood]") {
    RunLimits l = quick();
    l.stderrMaxBytes = 64 * 1024;
    auto start = Clock::now();
    Run r(FAKE_CLAUDE, {}, "flood 10", l, std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session, 30s);
    REQUIRE_FALSE(chunks.empty());
    CHECK(chunks.back().type == "end");
    CHECK(chunks.back().reason == "completed");
    CHECK(Clock::now() - start < 30s);
    std::size_t textBytes = 0, stderrBytes = 0;
    for (auto& c : chunks) {
        if (c.type == "text") textBytes += c.text.size();
        if (c.type == "stderr") stderrBytes += c.text.size();
    }
    CHECK(textBytes >= 10u * 1000 * 1000 * 9 / 10);
    CHECK(stderrBytes <= 64 * 1024 + 200);
    CHECK(at::joinText(chunks, "stderr").find("more bytes of stderr were not shown") != std::string::npos);
}

TEST_CASE("a slow reader holds the agent back without tripping the stall timer", "[session]") {
    RunLimits l = quick();
    l.stall = 1s;
    l.queueChunks = 8;
    Run r(FAKE_CODEX, {}, "events 3000", l, std::make_unique<CodexParser>());
    std::size_t texts = 0;
    std::vector<Chunk> all;
    auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
        auto c = r.session->next(50ms);
        if (!c) continue;
        if (texts == 100) std::this_thread::sleep_for(1500ms); // longer than the stall limit
        if (c->type == "text") ++texts;
        all.push_back(*c);
        if (c->type == "end") break;
    }
    CHECK(texts == 3000);
    REQUIRE_FALSE(all.empty());
    CHECK(all.back().reason == "completed");
}

TEST_CASE("the stall timer stops an agent that hangs without output", "[session][timers]") {
    RunLimits l = quick();
    l.stall = 1s;
    l.killGrace = 1s;
    auto start = Clock::now();
    std::clock_t cpu = std::clock();
    Run r(FAKE_CLAUDE, {}, "hang", l, std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session, 10s);
    auto took = Clock::now() - start;
    CHECK(double(std::clock() - cpu) / CLOCKS_PER_SEC < 0.2); // no busy loop while stopping
    REQUIRE_FALSE(chunks.empty());
    CHECK(chunks.back().reason == "stalled");
    CHECK(chunks.back().code == 128 + SIGTERM);
    CHECK(at::joinText(chunks, "error").find("printed nothing for 1 s") != std::string::npos);
    CHECK(took >= 900ms);
    CHECK(took < 4s);
}

TEST_CASE("the total limit stops an agent that keeps talking", "[session][timers]") {
    RunLimits l = quick();
    l.total = 1s;
    auto start = Clock::now();
    Run r(FAKE_CLAUDE, {}, "slow 1000 50", l, std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session, 10s);
    CHECK(chunks.back().reason == "timeout");
    CHECK(at::joinText(chunks, "error").find("ran longer than 1 s") != std::string::npos);
    CHECK(Clock::now() - start < 4s);
}

TEST_CASE("cancel: SIGTERM, then SIGKILL after the grace period for an agent that ignores it", "[session][cancel]") {
    RunLimits l = quick();
    l.killGrace = 700ms;
    Run r(FAKE_CLAUDE, {}, "ignore-term", l, std::make_unique<ClaudeParser>());
    until(*r.session, [](const Chunk& c) { return c.type == "text"; });
    int pid = r.session->pid();
    auto start = Clock::now();
    std::clock_t cpu = std::clock();
    r.session->cancel("cancelled by the test");
    auto chunks = at::drain(*r.session, 10s);
    auto took = Clock::now() - start;
    // Waiting out the grace period sleeps in poll(): no busy loop.
    CHECK(double(std::clock() - cpu) / CLOCKS_PER_SEC < 0.2);
    REQUIRE_FALSE(chunks.empty());
    CHECK(chunks.back().reason == "cancelled");
    CHECK(chunks.back().code == 128 + SIGKILL);
    CHECK(at::joinText(chunks, "error") == "cancelled by the test\n");
    CHECK(took >= 600ms);
    CHECK(took < 3s);
    CHECK(at::processGone(pid));
}

TEST_CASE("cancel kills the agent's own children too", "[session][cancel]") {
    Run r(FAKE_CLAUDE, {}, "grandchild", quick(), std::make_unique<ClaudeParser>());
    bool text = false, tagged = false;
    auto seen = until(*r.session, [&](const Chunk& c) {
        text = text || c.type == "text";
        tagged = tagged || (c.type == "stderr" && c.text.rfind("grandchild-pid", 0) == 0);
        return text && tagged;
    });
    int grandchild = pidFromStderr(seen, "grandchild-pid");
    REQUIRE(grandchild > 0);
    CHECK_FALSE(at::processGone(grandchild));
    int pid = r.session->pid();
    r.session->cancel("stop");
    auto chunks = at::drain(*r.session, 5s);
    CHECK(chunks.back().reason == "cancelled");
    CHECK(chunks.back().code == 128 + SIGTERM);
    CHECK(at::processGone(pid));
    CHECK(at::waitGone(grandchild, 2s));
}

TEST_CASE("an agent that exits while its child holds stdout ends promptly, the child killed", "[session]") {
    auto start = Clock::now();
    Run r(FAKE_CLAUDE, {}, "orphan-holds-pipe", quick(), std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session, 10s);
    CHECK(chunks.back().reason == "completed");
    CHECK(Clock::now() - start < 3s);
    int child = pidFromStderr(chunks, "grandchild-pid");
    REQUIRE(child > 0);
    CHECK(at::waitGone(child, 2s));
}

TEST_CASE("a child that escaped the group with our stdout cannot hold the session open", "[session]") {
    auto start = Clock::now();
    Run r(FAKE_CLAUDE, {}, "escape-holds-pipe", quick(), std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session, 10s);
    CHECK(chunks.back().reason == "completed");
    CHECK(Clock::now() - start < 3s);
    int escaped = pidFromStderr(chunks, "escaped-pid");
    REQUIRE(escaped > 0);
    ::kill(escaped, SIGKILL); // out of reach of a group kill (setsid): documented limit
}

TEST_CASE("a large prompt on stdin arrives whole", "[session]") {
    std::string prompt = "stdin-size " + std::string(2 * 1024 * 1024, 'p');
    Run r(FAKE_CLAUDE, {}, prompt, quick(), std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session);
    CHECK(at::joinText(chunks, "text") == "read " + std::to_string(prompt.size()) + " bytes");
}

TEST_CASE("an agent that never reads its stdin cannot block the session", "[session]") {
    // The prompt goes to the command's stdin, which it ignores and then exits.
    std::string prompt(1024 * 1024, 'x');
    Run r(FAKE_CMD, {"exit-now 0"}, prompt, quick(), std::make_unique<CommandParser>());
    auto chunks = at::drain(*r.session, 5s);
    REQUIRE_FALSE(chunks.empty());
    CHECK(chunks.back().reason == "completed");
}

TEST_CASE("the sink sees every chunk in order before the reader", "[session]") {
    std::vector<std::string> seen;
    std::mutex m;
    auto s = std::make_shared<ProcessSession>("sink", "fake", std::make_unique<ClaudeParser>(), quick(),
                                              [&](const std::vector<Chunk>& batch) {
                                                  std::lock_guard lock(m);
                                                  for (auto& c : batch) seen.push_back(c.type);
                                              });
    wildws::SpawnOptions spec;
    spec.argv = {FAKE_CLAUDE};
    s->spawn(spec, "replay tool_use");
    std::thread t([s] { s->run(); });
    auto chunks = at::drain(*s);
    t.join();
    std::lock_guard lock(m);
    CHECK(seen == at::types(chunks));
}

TEST_CASE("a stalled agent that ignores SIGTERM is killed after the grace, without a busy wait", "[session][timers]") {
    RunLimits l = quick();
    l.stall = 1s;
    l.killGrace = 1s;
    std::clock_t cpu = std::clock();
    auto start = Clock::now();
    Run r(FAKE_CLAUDE, {}, "ignore-term", l, std::make_unique<ClaudeParser>());
    auto chunks = at::drain(*r.session, 10s);
    REQUIRE_FALSE(chunks.empty());
    CHECK(chunks.back().reason == "stalled");
    CHECK(chunks.back().code == 128 + SIGKILL);
    CHECK(Clock::now() - start >= 1900ms);
    CHECK(double(std::clock() - cpu) / CLOCKS_PER_SEC < 0.3);
}

TEST_CASE("a finished session holds no descriptors, even while it is kept", "[session]") {
    auto openFds = [] {
        std::size_t n = 0;
        for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
        return n;
    };
    std::size_t before = openFds();
    std::vector<std::unique_ptr<Run>> runs;
    for (int i = 0; i < 20; ++i) runs.push_back(std::make_unique<Run>(FAKE_CLAUDE, std::vector<std::string>{}, "hello", quick(), std::make_unique<ClaudeParser>()));
    for (auto& r : runs) {
        auto chunks = at::drain(*r->session);
        CHECK(chunks.back().reason == "completed");
        r->session->cancel("after the end: a no-op");
    }
    for (auto& r : runs) r->thread.join();
    CHECK(openFds() == before);
}
