// Live (interactive) sessions through the SessionManager, with fake-claude
// speaking Claude's control protocol: prompts, decisions, interrupt,
// follow-ups into the same process, and the agents that misbehave.
#include "support.hpp"

#include "backends.hpp"
#include "session_manager.hpp"

#include <catch2/catch.hpp>

#include <wildws_test.hpp>

#include <algorithm>

using namespace wildws;
using namespace wildws::agent;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    wt::TempDir home;
    at::TestServices services;
    std::unique_ptr<SessionManager> manager;

    explicit Fixture(std::map<std::string, std::string> config = {}) {
        config.emplace("claude_path", FAKE_CLAUDE);
        config.emplace("codex_path", FAKE_CODEX);
        config.emplace("kill_grace_ms", "300");
        AgentSettings s = readSettings(at::MapConfig(config));
        services.add(AgentBackend::kServiceId, "claude", std::make_shared<ClaudeBackend>(s));
        services.add(AgentBackend::kServiceId, "codex", std::make_shared<CodexBackend>(s));
        manager = std::make_unique<SessionManager>(services, s, home.path(), nullptr);
    }
    ~Fixture() { manager->shutdown(); }
    Started start(const std::string& prompt, const std::string& conversation = {}, std::vector<AgentImage> images = {},
                  const std::string& agent = "claude") {
        AgentRequest r;
        r.prompt = prompt;
        r.cwd = home.path();
        r.images = std::move(images);
        StartOptions o;
        o.persist = true;
        o.conversationId = conversation;
        AgentStartError e;
        auto s = manager->startTurn(r, agent, o, e);
        INFO(e.code << ": " << e.message);
        REQUIRE(s);
        return *s;
    }
};

/// Chunks until one satisfies `pred` (included), or the timeout.
std::vector<Chunk> until(AgentSession& s, const std::function<bool(const Chunk&)>& pred, std::chrono::milliseconds d = 10s) {
    std::vector<Chunk> out;
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        auto c = s.next(100ms);
        if (!c) continue;
        out.push_back(*c);
        if (pred(*c)) break;
    }
    return out;
}
std::vector<Chunk> untilType(AgentSession& s, const std::string& type) {
    return until(s, [&](const Chunk& c) { return c.type == type; });
}

AgentDecision decide(const std::string& decision, const std::string& scope = "once") {
    AgentDecision d;
    d.decision = decision;
    d.scope = scope;
    return d;
}

int pidOf(const std::vector<Chunk>& chunks) {
    for (auto& c : chunks)
        if (c.type == "text" && c.text.rfind("pid ", 0) == 0) return std::stoi(c.text.substr(4));
    return -1;
}

} // namespace

TEST_CASE("live: a permission waits for the owner, allow once runs the tool, a second answer is refused", "[live]") {
    Fixture f;
    auto s = f.start("ask npm test");
    auto seen = untilType(*s.session, "permission");
    REQUIRE(seen.back().type == "permission");
    auto& p = seen.back();
    CHECK(p.name == "Bash");
    CHECK(p.title == "Claude wants to run npm test");
    CHECK(p.inputJson.find("npm test") != std::string::npos);
    auto pending = f.manager->pending(s.session->id());
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].requestId == p.requestId);
    CHECK(s.session->respond("nope", decide("allow")) == RespondResult::UnknownRequest);
    CHECK(s.session->respond(p.requestId, decide("maybe")) == RespondResult::BadDecision);
    CHECK(s.session->respond(p.requestId, decide("allow", "forever")) == RespondResult::BadDecision);
    CHECK(s.session->respond(p.requestId, decide("allow")) == RespondResult::Ok);
    CHECK(s.session->respond(p.requestId, decide("deny")) == RespondResult::AlreadyAnswered);
    CHECK(f.manager->pending(s.session->id()).empty());
    auto rest = at::drain(*s.session);
    REQUIRE_FALSE(rest.empty());
    auto types = at::types(rest);
    auto resolved = at::findType(rest, "permission-resolved");
    REQUIRE(resolved);
    CHECK(resolved->decision == "allow");
    CHECK(resolved->scope == "once");
    CHECK(resolved->by == "owner");
    auto result = at::findType(rest, "tool-result");
    REQUIRE(result);
    CHECK(result->ok);
    CHECK(result->summary == "ran: npm test");
    CHECK(at::joinText(rest, "text").find("\"behavior\":\"allow\"") != std::string::npos);
    CHECK(rest.back().reason == "completed");

    // Every decision is in the transcript.
    auto text = *f.manager->store().transcript(s.session->id());
    CHECK(text.find("\"type\":\"permission\"") != std::string::npos);
    CHECK(text.find("\"type\":\"permission-resolved\",\"requestId\":\"" + p.requestId + "\",\"decision\":\"allow\"") !=
          std::string::npos);
}

TEST_CASE("live: allow for this chat sends session rules, deny tells the agent why", "[live]") {
    Fixture f;
    auto s = f.start("ask make install");
    auto p = untilType(*s.session, "permission").back();
    REQUIRE(s.session->respond(p.requestId, decide("allow", "session")) == RespondResult::Ok);
    auto rest = at::drain(*s.session);
    std::string said = at::joinText(rest, "text");
    CHECK(said.find("\"destination\":\"session\"") != std::string::npos);
    CHECK(said.find("localSettings") == std::string::npos); // never the owner's settings files
    CHECK(at::findType(rest, "permission-resolved")->scope == "session");

    auto again = f.start("ask rm -rf /", s.session->id());
    CHECK(again.live);
    p = untilType(*again.session, "permission").back();
    AgentDecision no = decide("deny");
    no.message = "not on my machine";
    REQUIRE(again.session->respond(p.requestId, no) == RespondResult::Ok);
    rest = at::drain(*again.session);
    auto result = at::findType(rest, "tool-result");
    REQUIRE(result);
    CHECK_FALSE(result->ok);
    CHECK(result->summary == "not on my machine");
    CHECK(at::findType(rest, "permission-resolved")->message == "not on my machine");
    CHECK(rest.back().reason == "completed");
}

TEST_CASE("live: a question is answered with the chosen labels", "[live]") {
    Fixture f;
    auto s = f.start("question");
    auto q = untilType(*s.session, "question").back();
    CHECK(q.detailJson.find("Which color?") != std::string::npos);
    CHECK(s.session->respond(q.requestId, decide("allow")) == RespondResult::BadDecision); // no answers
    AgentDecision a = decide("allow");
    a.answersJson = R"({"Which color?":"blue"})";
    REQUIRE(s.session->respond(q.requestId, a) == RespondResult::Ok);
    auto rest = at::drain(*s.session);
    CHECK(at::joinText(rest, "text").find(R"(answers: {"Which color?":"blue"} behavior allow)") != std::string::npos);
}

TEST_CASE("live: a follow-up goes into the same process, no respawn", "[live]") {
    Fixture f;
    auto first = f.start("pid");
    auto a = at::drain(*first.session);
    REQUIRE(a.back().reason == "completed");
    int pid = pidOf(a);
    REQUIRE(pid > 0);
    CHECK(first.session->live());
    auto second = f.start("pid", first.session->id());
    CHECK(second.live);
    CHECK(second.resumed);
    CHECK(second.session == first.session);
    auto b = at::drain(*second.session);
    CHECK(b.front().type == "start");
    CHECK(b.back().reason == "completed");
    CHECK(pidOf(b) == pid);
    CHECK(at::joinText(b, "text").find("turn 2") != std::string::npos);
    auto meta = f.manager->store().load(first.session->id());
    CHECK(meta->turns == 2);
}

TEST_CASE("live: Stop interrupts the turn, the agent stays for the next one", "[live]") {
    Fixture f;
    auto s = f.start("wait");
    auto seen = until(*s.session, [](const Chunk& c) { return c.type == "text" && c.text == "waiting"; });
    REQUIRE(seen.back().text == "waiting");
    REQUIRE(s.session->interrupt());
    auto rest = at::drain(*s.session);
    REQUIRE_FALSE(rest.empty());
    CHECK(rest.back().reason == "interrupted");
    CHECK_FALSE(at::findType(rest, "error"));
    CHECK_FALSE(s.session->interrupt()); // nothing runs now
    CHECK(s.session->live());
    auto next = f.start("pid", s.session->id());
    CHECK(next.live);
    CHECK(at::drain(*next.session).back().reason == "completed");
}

TEST_CASE("live: Stop while a prompt waits denies it with interrupt, by interrupt", "[live]") {
    Fixture f;
    auto s = f.start("ask sleep 100");
    auto p = untilType(*s.session, "permission").back();
    REQUIRE(s.session->interrupt());
    auto rest = at::drain(*s.session);
    auto resolved = at::findType(rest, "permission-resolved");
    REQUIRE(resolved);
    CHECK(resolved->requestId == p.requestId);
    CHECK(resolved->decision == "deny");
    CHECK(resolved->by == "interrupt");
    CHECK(at::joinText(rest, "text").find("\"interrupt\":true") != std::string::npos);
    CHECK(rest.back().reason == "interrupted");
    CHECK(s.session->respond(p.requestId, decide("allow")) == RespondResult::AlreadyAnswered);
    CHECK(s.session->live());
}

TEST_CASE("live: an agent that never answers initialize is stopped after handshake_seconds", "[live]") {
    Fixture f(std::map<std::string, std::string>{{"claude_args", "--fake-no-init"}, {"handshake_seconds", "1"}});
    auto s = f.start("hello");
    auto all = at::drain(*s.session, 15s);
    REQUIRE_FALSE(all.empty());
    auto e = at::findType(all, "error");
    REQUIRE(e);
    CHECK(e->message.find("did not answer its start-up handshake within 1 s ([plugin.agent] handshake_seconds)") !=
          std::string::npos);
    CHECK(all.back().reason == "failed");
    REQUIRE(at::waitUntil([&] { return s.session->exited(); }, 5s));
    CHECK(at::processGone(s.session->pid()));
}

TEST_CASE("live: an agent that asks and then dies resolves the prompt and ends no-result", "[live]") {
    Fixture f;
    auto s = f.start("ask-die");
    auto all = at::drain(*s.session);
    auto types = at::types(all);
    auto p = std::find(types.begin(), types.end(), "permission");
    auto r = std::find(types.begin(), types.end(), "permission-resolved");
    REQUIRE(p != types.end());
    REQUIRE(r != types.end());
    CHECK(p < r);
    CHECK(at::findType(all, "permission-resolved")->by == "agent");
    CHECK(at::findType(all, "error")->message.find("exited with code 3") != std::string::npos);
    CHECK(all.back().reason == "no-result");
    CHECK(f.manager->pending(s.session->id()).empty());
    CHECK_FALSE(s.session->live());
}

TEST_CASE("live: a prompt can be answered while the agent floods its output", "[live]") {
    Fixture f;
    auto s = f.start("ask-flood 8");
    auto p = untilType(*s.session, "permission").back();
    // Answer before reading any of the flood: the answer must get through.
    REQUIRE(s.session->respond(p.requestId, decide("allow")) == RespondResult::Ok);
    auto rest = at::drain(*s.session, 60s);
    REQUIRE_FALSE(rest.empty());
    CHECK(rest.back().reason == "completed");
    CHECK(at::findType(rest, "tool-result")->ok);
}

TEST_CASE("live: the agent withdrawing a prompt resolves it by agent", "[live]") {
    Fixture f;
    auto s = f.start("ask-withdraw");
    auto all = at::drain(*s.session);
    auto r = at::findType(all, "permission-resolved");
    REQUIRE(r);
    CHECK(r->by == "agent");
    CHECK(all.back().reason == "completed");
    CHECK(s.session->respond(r->requestId, decide("allow")) == RespondResult::AlreadyAnswered);
}

TEST_CASE("live: permission_timeout_seconds denies an unanswered prompt, saying so", "[live]") {
    Fixture f(std::map<std::string, std::string>{{"permission_timeout_seconds", "1"}});
    auto s = f.start("ask npm publish");
    auto all = at::drain(*s.session, 15s);
    auto r = at::findType(all, "permission-resolved");
    REQUIRE(r);
    CHECK(r->by == "timeout");
    CHECK(r->decision == "deny");
    CHECK(r->message == "nobody answered within 1 s ([plugin.agent] permission_timeout_seconds), so it was denied");
    CHECK(all.back().reason == "completed");
}

TEST_CASE("live: waiting for the owner is not a stall", "[live]") {
    Fixture f(std::map<std::string, std::string>{{"stall_seconds", "1"}});
    auto s = f.start("ask npm test");
    auto p = untilType(*s.session, "permission").back();
    std::this_thread::sleep_for(2500ms); // longer than the stall limit
    CHECK_FALSE(s.session->finished());
    REQUIRE(s.session->respond(p.requestId, decide("allow")) == RespondResult::Ok);
    CHECK(at::drain(*s.session).back().reason == "completed");
}

TEST_CASE("live: images reach claude as image blocks, other agents refuse them", "[live][images]") {
    Fixture f;
    auto s = f.start("look", {}, {{"image/png", "iVBORw0KGgo="}, {"image/jpeg", "/9j/4AAQ"}});
    auto all = at::drain(*s.session);
    CHECK(at::joinText(all, "text").find("you said: look [2 images: image/png,image/jpeg]") != std::string::npos);

    AgentRequest r;
    r.prompt = "look";
    r.cwd = f.home.path();
    r.images.push_back({"image/png", "iVBORw0KGgo="});
    AgentStartError e;
    CHECK_FALSE(f.manager->startTurn(r, "codex", StartOptions{}, e));
    CHECK(e.status == 400);
    CHECK(e.code == "images-not-supported");
    CHECK(e.message == "Codex does not take images: remove the image, or ask an agent that does (Claude Code)");
}

TEST_CASE("live: a follow-up in another mode resumes in a new process", "[live]") {
    Fixture f;
    auto first = f.start("pid");
    int pid = pidOf(at::drain(*first.session));
    AgentRequest r;
    r.prompt = "pid";
    r.mode = AgentMode::Plan;
    StartOptions o;
    o.persist = true;
    o.conversationId = first.session->id();
    AgentStartError e;
    auto second = f.manager->startTurn(r, "", o, e);
    REQUIRE(second);
    CHECK_FALSE(second->live);
    CHECK(second->resumed);
    auto b = at::drain(*second->session);
    CHECK(b.back().reason == "completed");
    CHECK(pidOf(b) != pid);
    CHECK(at::processGone(pid));
}

// --- codex app-server -------------------------------------------------------

TEST_CASE("live codex: app-server is found and used, thread/start asks on-request with the mode's sandbox", "[live][codex]") {
    wt::TempDir logs;
    std::string log = logs / "app-server.jsonl";
    ::setenv("FAKE_APP_SERVER_LOG", log.c_str(), 1);
    Fixture f;
    auto rows = f.manager->backends();
    CHECK(rows[1].id == "codex");
    CHECK(rows[1].protocol == "app-server (live)");
    CHECK(rows[1].caps.interactive);
    auto s = f.start("hello codex", {}, {}, "codex");
    auto all = at::drain(*s.session);
    ::unsetenv("FAKE_APP_SERVER_LOG");
    CHECK(at::joinText(all, "text") == "you said: hello codex");
    auto usage = at::findType(all, "usage");
    REQUIRE(usage);
    CHECK(usage->tokens == 15);
    CHECK(all.back().reason == "completed");
    CHECK(all.back().resumeId == "thr_1");
    auto sent = at::readFile(log);
    CHECK(sent.find(R"("method":"initialize")") != std::string::npos);
    CHECK(sent.find(R"({"method":"initialized"})") != std::string::npos);
    CHECK(sent.find(R"("approvalPolicy":"on-request")") != std::string::npos);
    CHECK(sent.find(R"("sandbox":"workspace-write")") != std::string::npos);
    CHECK(sent.find(R"("cwd":")" + f.home.path() + "\"") != std::string::npos);
    CHECK(sent.find(R"("method":"turn/start")") != std::string::npos);
    CHECK(sent.find("\"threadId\":\"thr_1\"") != std::string::npos);
}

TEST_CASE("live codex: a command approval maps to permission and the decisions to accept, acceptForSession, decline, cancel", "[live][codex]") {
    Fixture f;
    struct Case {
        std::string decision, scope;
        bool stop;
        std::string wire, reason;
    };
    std::vector<Case> cases = {{"allow", "once", false, "accept", "completed"},
                               {"allow", "session", false, "acceptForSession", "completed"},
                               {"deny", "once", false, "decline", "completed"}};
    std::string conv;
    for (auto& c : cases) {
        auto s = f.start("ask npm test", conv, {}, "codex");
        conv = s.session->id();
        auto p = untilType(*s.session, "permission").back();
        REQUIRE(p.type == "permission");
        CHECK(p.name == "shell");
        CHECK(p.title == "Codex wants to run npm test");
        CHECK(p.inputJson.find("\"command\":\"npm test\"") != std::string::npos);
        CHECK(p.inputJson.find("\"reason\":\"needs approval\"") != std::string::npos);
        REQUIRE(s.session->respond(p.requestId, decide(c.decision, c.scope)) == RespondResult::Ok);
        auto rest = at::drain(*s.session);
        INFO(c.wire);
        CHECK(at::joinText(rest, "text") == "decision: " + c.wire);
        CHECK(rest.back().reason == c.reason);
        auto result = at::findType(rest, "tool-result");
        REQUIRE(result);
        CHECK(result->ok == (c.decision == "allow"));
    }
    // Stop while it asks: cancel, and the turn ends interrupted.
    auto s = f.start("ask make deploy", conv, {}, "codex");
    CHECK(s.live);
    untilType(*s.session, "permission");
    REQUIRE(s.session->interrupt());
    auto rest = at::drain(*s.session);
    CHECK(at::findType(rest, "permission-resolved")->by == "interrupt");
    CHECK(rest.back().reason == "interrupted");
}

TEST_CASE("live codex: a file change approval carries the diff of its item", "[live][codex]") {
    Fixture f;
    auto s = f.start("patch", {}, {}, "codex");
    auto p = untilType(*s.session, "permission").back();
    CHECK(p.name == "apply_patch");
    CHECK(p.title == "Codex wants to change files");
    CHECK(p.inputJson.find("\"path\":\"notes.txt\"") != std::string::npos);
    CHECK(p.inputJson.find("+hello") != std::string::npos);
    REQUIRE(s.session->respond(p.requestId, decide("allow")) == RespondResult::Ok);
    auto rest = at::drain(*s.session);
    CHECK(at::findType(rest, "tool-result")->summary == "add notes.txt");
    CHECK(rest.back().reason == "completed");
}

TEST_CASE("live codex: turn/interrupt, then a follow-up into the same app-server", "[live][codex]") {
    Fixture f;
    auto s = f.start("wait", {}, {}, "codex");
    until(*s.session, [](const Chunk& c) { return c.type == "text" && c.text == "waiting"; });
    REQUIRE(s.session->interrupt());
    CHECK(at::drain(*s.session).back().reason == "interrupted");
    auto a = f.start("pid", s.session->id(), {}, "codex");
    CHECK(a.live);
    auto chunks = at::drain(*a.session);
    int pid = pidOf(chunks);
    CHECK(pid == a.session->pid());
    CHECK(chunks.back().reason == "completed");
}

TEST_CASE("live codex: after an idle restart the thread is resumed, a lost thread starts anew with a notice", "[live][codex]") {
    wt::TempDir logs;
    std::string log = logs / "app-server.jsonl";
    ::setenv("FAKE_APP_SERVER_LOG", log.c_str(), 1);
    Fixture f(std::map<std::string, std::string>{{"idle_seconds", "1"}});
    auto first = f.start("hello", {}, {}, "codex");
    at::drain(*first.session);
    REQUIRE(at::waitUntil([&] { return first.session->exited(); }, 10s));
    auto second = f.start("again", first.session->id(), {}, "codex");
    CHECK_FALSE(second.live);
    CHECK(second.resumed);
    CHECK(at::drain(*second.session).back().reason == "completed");
    ::unsetenv("FAKE_APP_SERVER_LOG");
    CHECK(at::readFile(log).find(R"("method":"thread/resume")") != std::string::npos);
    CHECK(at::readFile(log).find(R"("threadId":"thr_1")") != std::string::npos);
}

TEST_CASE("live codex: an app-server that never answers initialize, and one that dies asking", "[live][codex]") {
    {
        ::setenv("FAKE_APP_SERVER", "no-init", 1);
        Fixture f(std::map<std::string, std::string>{{"handshake_seconds", "1"}});
        auto s = f.start("hello", {}, {}, "codex");
        auto all = at::drain(*s.session, 15s);
        ::unsetenv("FAKE_APP_SERVER");
        REQUIRE(at::findType(all, "error"));
        CHECK(at::findType(all, "error")->message.find("handshake") != std::string::npos);
        CHECK(all.back().reason == "failed");
    }
    Fixture f;
    auto s = f.start("ask-die", {}, {}, "codex");
    auto all = at::drain(*s.session);
    CHECK(at::findType(all, "permission"));
    CHECK(at::findType(all, "permission-resolved")->by == "agent");
    CHECK(all.back().reason == "no-result");
}

TEST_CASE("codex_protocol = exec keeps codex exec --json", "[live][codex]") {
    Fixture f(std::map<std::string, std::string>{{"codex_protocol", "exec"}});
    auto rows = f.manager->backends();
    CHECK(rows[1].protocol == "exec --json (one-shot, codex_protocol = exec)");
    CHECK_FALSE(rows[1].caps.interactive);
}

TEST_CASE("codex exec outside a git repository: the refusal comes with what to do", "[codex]") {
    Fixture f(std::map<std::string, std::string>{{"codex_protocol", "exec"}});
    auto s = f.start("untrusted", {}, {}, "codex");
    auto all = at::drain(*s.session);
    auto e = at::findType(all, "error");
    REQUIRE(e);
    CHECK(e->message.find("run 'git init' in the working directory") != std::string::npos);
    CHECK(e->message.find("--skip-git-repo-check to [plugin.agent] codex_args") != std::string::npos);
    CHECK(all.back().reason != "completed");
}
