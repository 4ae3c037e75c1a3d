// SessionManager: backend choice, request checks, limits, conversations and resume.
#include "support.hpp"

#include "backends.hpp"
#include "command_parser.hpp"
#include "session_manager.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <wildws_test.hpp>

#include <unistd.h>

using namespace wildws;
using namespace wildws::agent;
using namespace std::chrono_literals;

namespace {

/// A third-party backend: /bin/echo, no resume.
class EchoBackend : public AgentBackend {
public:
    std::string id() const override { return "echo"; }
    std::string displayName() const override { return "Echo"; }
    AgentDetection detect() const override {
        AgentDetection d;
        d.found = true;
        d.path = "/bin/echo";
        return d;
    }
    bool canResume() const override { return false; }
    AgentLaunch launch(const AgentRequest& r, const AgentDetection& d) const override {
        AgentLaunch l;
        l.argv = {d.path, "echo:", r.prompt};
        return l;
    }
    std::unique_ptr<AgentOutputParser> newParser() const override { return std::make_unique<CommandParser>(); }
};

using Cfg = std::map<std::string, std::string>;

struct Fixture {
    wt::TempDir home;
    at::TestServices services;
    std::unique_ptr<SessionManager> manager;
    std::string log;

    explicit Fixture(std::map<std::string, std::string> config = {}) {
        config.emplace("claude_path", FAKE_CLAUDE);
        config.emplace("codex_path", FAKE_CODEX);
        config.emplace("kill_grace_ms", "300");
        AgentSettings s = readSettings(at::MapConfig(config));
        services.add(AgentBackend::kServiceId, "claude", std::make_shared<ClaudeBackend>(s));
        services.add(AgentBackend::kServiceId, "codex", std::make_shared<CodexBackend>(s));
        services.add(AgentBackend::kServiceId, "command", std::make_shared<CommandBackend>(s));
        services.add(AgentBackend::kServiceId, "echo", std::make_shared<EchoBackend>());
        manager = std::make_unique<SessionManager>(services, s, home.path(), nullptr);
        log = home / "record.json";
        ::setenv("AGENT_FIXTURE_LOG", log.c_str(), 1);
    }
    ~Fixture() {
        manager->shutdown();
        ::unsetenv("AGENT_FIXTURE_LOG");
    }
    std::optional<Started> start(const std::string& prompt, const std::string& agent, AgentStartError& e,
                                 const std::string& conversation = {}, AgentMode mode = AgentMode::Build) {
        AgentRequest r;
        r.prompt = prompt;
        r.cwd = home.path();
        r.mode = mode;
        StartOptions o;
        o.persist = true;
        o.conversationId = conversation;
        return manager->startTurn(r, agent, o, e);
    }
    std::vector<std::string> recordedArgv() {
        REQUIRE(at::waitForFile(log, 5s));
        auto o = Poco::JSON::Parser().parse(at::readFile(log)).extract<Poco::JSON::Object::Ptr>();
        std::vector<std::string> out;
        auto a = o->getArray("argv");
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
        return out;
    }
};

} // namespace

TEST_CASE("the default agent is the first one detected, and every backend is listed", "[manager]") {
    SECTION("claude first") {
        Fixture f;
        auto rows = f.manager->backends();
        REQUIRE(rows.size() == 4);
        CHECK(rows[0].id == "claude");
        CHECK(rows[0].detection.found);
        CHECK(rows[0].detection.version == "2.0.14 (Claude Code)");
        CHECK(rows[0].isDefault);
        CHECK_FALSE(rows[1].isDefault);
        CHECK_FALSE(rows[2].detection.found);
        CHECK(rows[2].detection.reason == "no [plugin.agent] command is configured");
        AgentStartError e;
        auto s = f.start("hello", "", e);
        REQUIRE(s);
        CHECK(s->agentId == "claude");
        at::drain(*s->session);
    }
    SECTION("claude missing: codex") {
        Fixture f(Cfg{{"claude_path", "/nonexistent/claude"}});
        AgentStartError e;
        auto s = f.start("hello", "", e);
        REQUIRE(s);
        CHECK(s->agentId == "codex");
        at::drain(*s->session);
    }
    SECTION("default_agent wins") {
        Fixture f(Cfg{{"default_agent", "echo"}});
        AgentStartError e;
        auto s = f.start("hi there", "", e);
        REQUIRE(s);
        CHECK(s->agentId == "echo"); // a third-party backend counts
        CHECK(at::joinText(at::drain(*s->session), "text") == "echo: hi there\n");
    }
}

TEST_CASE("bad requests are refused with the status the HTTP API answers", "[manager]") {
    Fixture f;
    AgentStartError e;
    CHECK_FALSE(f.start("   \n", "", e));
    CHECK(e.status == 400);
    CHECK(e.code == "empty-prompt");
    CHECK_FALSE(f.start("hi", "gemini", e));
    CHECK(e.status == 400);
    CHECK(e.code == "unknown-agent");
    CHECK(e.message == "unknown agent 'gemini'; known agents: claude, codex, command, echo");
    CHECK_FALSE(f.start("hi", "command", e));
    CHECK(e.status == 503);
    CHECK(e.code == "agent-not-installed");
    CHECK(e.message.find("[plugin.agent] command") != std::string::npos);
    AgentRequest r;
    r.prompt = "hi";
    r.cwd = "/nonexistent-dir";
    CHECK_FALSE(f.manager->start(r, "claude", e));
    CHECK(e.code == "bad-cwd");
    CHECK_FALSE(f.start("hi", "", e, "no-such-conversation"));
    CHECK(e.status == 404);
    CHECK_FALSE(f.start("hi", "", e, "../etc"));
    CHECK(e.status == 400);
}

TEST_CASE("no agent installed: 503 that says how to install one", "[manager]") {
    Fixture f(Cfg{{"claude_path", "/nonexistent/claude"}, {"codex_path", "/nonexistent/codex"}});
    // The echo test backend would be found: use a registry without it.
    at::TestServices only;
    AgentSettings s = readSettings(at::MapConfig({{"claude_path", "/nonexistent/claude"}, {"codex_path", "/nonexistent/codex"}}));
    only.add(AgentBackend::kServiceId, "claude", std::make_shared<ClaudeBackend>(s));
    only.add(AgentBackend::kServiceId, "codex", std::make_shared<CodexBackend>(s));
    only.add(AgentBackend::kServiceId, "command", std::make_shared<CommandBackend>(s));
    SessionManager m(only, s, f.home.path(), nullptr);
    AgentStartError e;
    AgentRequest r;
    r.prompt = "hi";
    CHECK_FALSE(m.start(r, "", e));
    CHECK(e.status == 503);
    CHECK(e.code == "no-agent");
    CHECK(e.message.find("npm install -g @anthropic-ai/claude-code") != std::string::npos);
    CHECK(e.message.find("npm install -g @openai/codex") != std::string::npos);
    CHECK(e.message.find("[plugin.agent] command") != std::string::npos);
}

TEST_CASE("max_sessions: the next start is refused with 429 until one ends", "[manager]") {
    Fixture f(Cfg{{"max_sessions", "1"}});
    AgentStartError e;
    auto first = f.start("hang", "claude", e);
    REQUIRE(first);
    CHECK_FALSE(f.start("hello", "claude", e));
    CHECK(e.status == 429);
    CHECK(e.code == "too-many-sessions");
    first->session->cancel("make room");
    at::drain(*first->session, 5s);
    auto second = f.start("hello", "claude", e);
    REQUIRE(second);
    at::drain(*second->session);
}

TEST_CASE("claude arguments: plan mode, system prompt, prompt on stdin", "[manager]") {
    Fixture f;
    AgentStartError e;
    AgentRequest r;
    r.prompt = "-rf \"quoted\"\nsecond line";
    r.mode = AgentMode::Plan;
    r.appendSystemPrompt = "be brief";
    auto s = f.manager->start(r, "claude", e);
    REQUIRE(s);
    at::drain(*s);
    auto argv = f.recordedArgv();
    CHECK(argv == std::vector<std::string>{FAKE_CLAUDE, "-p", "--input-format", "stream-json", "--output-format",
                                           "stream-json", "--verbose", "--permission-prompt-tool", "stdio",
                                           "--permission-mode", "plan", "--append-system-prompt=be brief"});
    auto o = Poco::JSON::Parser().parse(at::readFile(f.log)).extract<Poco::JSON::Object::Ptr>();
    CHECK(o->getValue<std::string>("prompt") == r.prompt); // the user message's text, intact
}

TEST_CASE("claude one-shot (claude_interactive = false): -p, acceptEdits, the prompt on stdin", "[manager]") {
    Fixture f(Cfg{{"claude_interactive", "false"}});
    AgentStartError e;
    AgentRequest r;
    r.prompt = "-rf \"quoted\"\nsecond line";
    auto s = f.manager->start(r, "claude", e);
    REQUIRE(s);
    CHECK(at::drain(*s).back().reason == "completed");
    auto argv = f.recordedArgv();
    CHECK(argv == std::vector<std::string>{FAKE_CLAUDE, "-p", "--output-format", "stream-json", "--verbose",
                                           "--permission-mode", "acceptEdits"});
    auto o = Poco::JSON::Parser().parse(at::readFile(f.log)).extract<Poco::JSON::Object::Ptr>();
    CHECK(o->getValue<std::string>("prompt") == r.prompt);
}

TEST_CASE("claude live: build mode asks with --permission-mode default", "[manager][live]") {
    Fixture f;
    AgentStartError e;
    auto s = f.start("hello", "claude", e);
    REQUIRE(s);
    at::drain(*s->session);
    auto argv = f.recordedArgv();
    auto it = std::find(argv.begin(), argv.end(), "--permission-mode");
    REQUIRE(it != argv.end());
    CHECK(*(it + 1) == "default");
}

TEST_CASE("a follow-up continues the agent's conversation with its resume id", "[manager][resume]") {
    SECTION("claude: --resume <session id> once the live agent has gone idle") {
        Fixture f(Cfg{{"idle_seconds", "1"}});
        AgentStartError e;
        auto first = f.start("hello", "claude", e);
        REQUIRE(first);
        CHECK_FALSE(first->resumed);
        std::string id = first->session->id();
        at::drain(*first->session);
        CHECK(f.manager->store().load(id)->resumeId == "claude-sess-1");
        pid_t pid = first->session->pid();
        REQUIRE(at::waitUntil([&] { return first->session->exited(); }, 10s)); // idle_seconds = 1
        CHECK(at::processGone(pid));

        auto second = f.start("and now?", "", e, id);
        REQUIRE(second);
        CHECK(second->resumed);
        CHECK(second->notice.empty());
        CHECK(second->session->id() == id);
        auto chunks = at::drain(*second->session);
        CHECK(chunks.back().reason == "completed");
        auto argv = f.recordedArgv();
        auto it = std::find(argv.begin(), argv.end(), "--resume");
        REQUIRE(it != argv.end());
        CHECK(*(it + 1) == "claude-sess-1");
        auto meta = f.manager->store().load(id);
        CHECK(meta->turns == 2);
        auto lines = wt::lines(*f.manager->store().transcript(id));
        CHECK(std::count_if(lines.begin(), lines.end(), [](auto& l) { return l.find("\"type\":\"prompt\"") != std::string::npos; }) == 2);
    }
    SECTION("codex without app-server: exec resume <thread id> -") {
        Fixture f(Cfg{{"codex_protocol", "exec"}});
        AgentStartError e;
        auto first = f.start("hello", "codex", e);
        REQUIRE(first);
        at::drain(*first->session);
        auto second = f.start("more", "", e, first->session->id());
        REQUIRE(second);
        at::drain(*second->session);
        auto argv = f.recordedArgv();
        CHECK(argv == std::vector<std::string>{FAKE_CODEX, "exec", "--json", "--sandbox", "workspace-write", "resume",
                                               "codex-thread-1", "-"});
    }
    SECTION("a backend without resume starts fresh and says so") {
        Fixture f;
        AgentStartError e;
        auto first = f.start("hello", "echo", e);
        REQUIRE(first);
        at::drain(*first->session);
        auto second = f.start("again", "", e, first->session->id());
        REQUIRE(second);
        CHECK_FALSE(second->resumed);
        CHECK(second->notice == "Echo cannot resume a conversation: this prompt starts fresh");
        at::drain(*second->session);
        auto lines = wt::lines(*f.manager->store().transcript(first->session->id()));
        CHECK(std::any_of(lines.begin(), lines.end(), [](auto& l) { return l.find("\"notice\":\"Echo cannot resume") != std::string::npos; }));
    }
    SECTION("a turn still running: 409") {
        Fixture f;
        AgentStartError e;
        auto first = f.start("hang", "claude", e);
        REQUIRE(first);
        CHECK_FALSE(f.start("more", "", e, first->session->id()));
        CHECK(e.status == 409);
        CHECK(f.manager->find(first->session->id()) == first->session);
        first->session->cancel("done");
        at::drain(*first->session, 5s);
    }
}

TEST_CASE("the service interface starts unrecorded sessions, and shutdown stops every run", "[manager]") {
    Fixture f;
    AgentStartError e;
    AgentRequest r;
    r.prompt = "hang";
    auto s = f.manager->start(r, "claude", e);
    REQUIRE(s);
    CHECK(f.manager->find(s->id()) == s);
    CHECK_FALSE(f.manager->store().exists(s->id()));
    // claude runs as a LiveSession, others as a ProcessSession: both are RunSessions.
    auto run = std::dynamic_pointer_cast<RunSession>(s);
    REQUIRE(run);
    int pid = run->pid();
    auto start = std::chrono::steady_clock::now();
    f.manager->shutdown();
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK(s->finished());
    CHECK(at::processGone(pid));
    CHECK_FALSE(f.manager->start(r, "claude", e));
    CHECK(e.code == "shutting-down");
}
