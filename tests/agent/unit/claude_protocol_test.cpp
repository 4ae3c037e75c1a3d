// ClaudeProtocol as a pure state machine: lines in -> chunks and writes out.
#include "claude_protocol.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

using namespace wildws;
using namespace wildws::agent;

namespace {

Poco::JSON::Object::Ptr obj(const std::string& s) {
    return Poco::JSON::Parser().parse(s).extract<Poco::JSON::Object::Ptr>();
}

struct Driver {
    ClaudeProtocol p;
    std::vector<Chunk> chunks;
    std::vector<std::string> writes;
    void line(const std::string& l) { p.line(l, chunks, writes); }
    void clear() {
        chunks.clear();
        writes.clear();
    }
    /// Handshake done, one turn open.
    void ready(const std::string& prompt = "hi") {
        p.open(writes);
        auto id = obj(writes.at(0))->getValue<std::string>("request_id");
        line(R"({"type":"control_response","response":{"subtype":"success","request_id":")" + id + R"(","response":{}}})");
        AgentRequest r;
        r.prompt = prompt;
        p.turn(r, chunks, writes);
        clear();
    }
};

const char* kAsk = R"({"type":"control_request","request_id":"cli-7","request":{"subtype":"can_use_tool","tool_name":"Bash",)"
                   R"("input":{"command":"npm test","description":"Run tests"},"permission_suggestions":[{"type":"addRules",)"
                   R"("destination":"localSettings","behavior":"allow","rules":[{"toolName":"Bash","ruleContent":"npm test"}]}],)"
                   R"("blocked_path":null,"title":"Claude wants to run npm test","tool_use_id":"toolu_1"}})";

const char* kResult = R"({"type":"result","subtype":"success","is_error":false,"result":"ok","session_id":"s-1","duration_ms":3})";

} // namespace

TEST_CASE("claude protocol: initialize first, ready on its answer, then user turns", "[claude-protocol]") {
    Driver d;
    d.p.open(d.writes);
    REQUIRE(d.writes.size() == 1);
    auto init = obj(d.writes[0]);
    CHECK(init->getValue<std::string>("type") == "control_request");
    CHECK(init->getObject("request")->getValue<std::string>("subtype") == "initialize");
    CHECK_FALSE(d.p.ready());
    d.line(R"({"type":"control_response","response":{"subtype":"success","request_id":"other","response":{}}})");
    CHECK_FALSE(d.p.ready());
    d.line(R"({"type":"control_response","response":{"subtype":"success","request_id":")" +
           init->getValue<std::string>("request_id") + R"(","response":{"commands":[]}}})");
    CHECK(d.p.ready());
    d.clear();

    AgentRequest r;
    r.prompt = "look at this";
    r.images.push_back({"image/png", "iVBORw0KGgo="});
    d.p.turn(r, d.chunks, d.writes);
    REQUIRE(d.writes.size() == 1);
    auto user = obj(d.writes[0]);
    CHECK(user->getValue<std::string>("type") == "user");
    auto content = user->getObject("message")->getArray("content");
    REQUIRE(content->size() == 2);
    CHECK(content->getObject(0)->getValue<std::string>("type") == "image");
    CHECK(content->getObject(0)->getObject("source")->getValue<std::string>("media_type") == "image/png");
    CHECK(content->getObject(0)->getObject("source")->getValue<std::string>("data") == "iVBORw0KGgo=");
    CHECK(content->getObject(1)->getValue<std::string>("text") == "look at this");

    d.clear();
    r.images.clear();
    d.p.turn(r, d.chunks, d.writes);
    CHECK(obj(d.writes.at(0))->getObject("message")->getValue<std::string>("content") == "look at this");
}

TEST_CASE("claude protocol: can_use_tool becomes a permission, allow for the chat adds session rules", "[claude-protocol]") {
    Driver d;
    d.ready();
    d.line(kAsk);
    REQUIRE(d.chunks.size() == 1);
    auto& c = d.chunks[0];
    CHECK(c.type == "permission");
    CHECK(c.requestId == "cli-7");
    CHECK(c.name == "Bash");
    CHECK(obj(c.inputJson)->getValue<std::string>("command") == "npm test");
    CHECK(c.title == "Claude wants to run npm test");
    CHECK(c.detailJson.find("localSettings") != std::string::npos);
    CHECK(d.writes.empty());
    d.clear();

    AgentDecision yes;
    yes.decision = "allow";
    yes.scope = "session";
    d.p.respond("cli-7", yes, d.chunks, d.writes);
    REQUIRE(d.writes.size() == 1);
    auto resp = obj(d.writes[0]);
    CHECK(resp->getValue<std::string>("type") == "control_response");
    auto inner = resp->getObject("response");
    CHECK(inner->getValue<std::string>("subtype") == "success");
    CHECK(inner->getValue<std::string>("request_id") == "cli-7");
    auto r = inner->getObject("response");
    CHECK(r->getValue<std::string>("behavior") == "allow");
    CHECK(r->getObject("updatedInput")->getValue<std::string>("command") == "npm test");
    auto perms = r->getArray("updatedPermissions");
    REQUIRE(perms->size() == 1);
    CHECK(perms->getObject(0)->getValue<std::string>("destination") == "session");
    CHECK(perms->getObject(0)->getValue<std::string>("type") == "addRules");
    REQUIRE(d.chunks.size() == 1);
    CHECK(d.chunks[0].type == "permission-resolved");
    CHECK(d.chunks[0].decision == "allow");
    CHECK(d.chunks[0].scope == "session");
    CHECK(d.chunks[0].by == "owner");
    d.clear();
    d.p.respond("cli-7", yes, d.chunks, d.writes); // answered already: nothing more goes out
    CHECK(d.writes.empty());
    CHECK(d.chunks.empty());
}

TEST_CASE("claude protocol: allow once sends no rules, deny sends the reason and interrupt only when stopping", "[claude-protocol]") {
    Driver d;
    d.ready();
    d.line(kAsk);
    d.clear();
    AgentDecision once;
    once.decision = "allow";
    d.p.respond("cli-7", once, d.chunks, d.writes);
    auto r = obj(d.writes.at(0))->getObject("response")->getObject("response");
    CHECK_FALSE(r->has("updatedPermissions"));

    d.line(R"({"type":"control_request","request_id":"cli-8","request":{"subtype":"can_use_tool","tool_name":"Write","input":{"file_path":"/x"},"permission_suggestions":null}})");
    CHECK(d.chunks.back().title == "Claude wants to use Write");
    d.clear();
    AgentDecision no;
    no.decision = "deny";
    no.message = "use a temp dir";
    d.p.respond("cli-8", no, d.chunks, d.writes);
    r = obj(d.writes.at(0))->getObject("response")->getObject("response");
    CHECK(r->getValue<std::string>("behavior") == "deny");
    CHECK(r->getValue<std::string>("message") == "use a temp dir");
    CHECK_FALSE(r->has("interrupt"));
    CHECK(d.chunks.at(0).message == "use a temp dir");

    d.line(R"({"type":"control_request","request_id":"cli-9","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{}}})");
    d.clear();
    AgentDecision stop;
    stop.stop = true;
    stop.by = "interrupt";
    d.p.respond("cli-9", stop, d.chunks, d.writes);
    r = obj(d.writes.at(0))->getObject("response")->getObject("response");
    CHECK(r->getValue<bool>("interrupt"));
    CHECK(d.chunks.at(0).by == "interrupt");
}

TEST_CASE("claude protocol: AskUserQuestion is a question, answered through updatedInput.answers", "[claude-protocol]") {
    Driver d;
    d.ready();
    d.line(R"({"type":"control_request","request_id":"q1","request":{"subtype":"can_use_tool","tool_name":"AskUserQuestion",)"
           R"("input":{"questions":[{"question":"Which color?","header":"Color","options":[{"label":"red","description":"warm"},)"
           R"({"label":"blue","description":"cool"}],"multiSelect":false}]}}})");
    REQUIRE(d.chunks.size() == 1);
    CHECK(d.chunks[0].type == "question");
    CHECK(d.chunks[0].requestId == "q1");
    auto qs = Poco::JSON::Parser().parse(d.chunks[0].detailJson).extract<Poco::JSON::Array::Ptr>();
    CHECK(qs->getObject(0)->getValue<std::string>("header") == "Color");
    d.clear();
    AgentDecision a;
    a.decision = "allow";
    a.answersJson = R"({"Which color?":"blue"})";
    d.p.respond("q1", a, d.chunks, d.writes);
    auto r = obj(d.writes.at(0))->getObject("response")->getObject("response");
    auto in = r->getObject("updatedInput");
    CHECK(in->getObject("answers")->getValue<std::string>("Which color?") == "blue");
    CHECK(in->getArray("questions")->size() == 1);
}

TEST_CASE("claude protocol: a withdrawn request, a hook request and the turn's end", "[claude-protocol]") {
    Driver d;
    d.ready();
    d.line(kAsk);
    d.clear();
    d.line(R"({"type":"control_cancel_request","request_id":"cli-7"})");
    REQUIRE(d.chunks.size() == 1);
    CHECK(d.chunks[0].type == "permission-resolved");
    CHECK(d.chunks[0].by == "agent");
    CHECK(d.chunks[0].decision == "deny");
    d.clear();
    d.line(R"({"type":"control_cancel_request","request_id":"cli-7"})"); // twice: once is enough
    CHECK(d.chunks.empty());

    d.line(R"({"type":"control_request","request_id":"h1","request":{"subtype":"hook_callback","callback_id":"x"}})");
    REQUIRE(d.writes.size() == 1);
    auto e = obj(d.writes[0])->getObject("response");
    CHECK(e->getValue<std::string>("subtype") == "error");
    CHECK(e->getValue<std::string>("request_id") == "h1");
    d.clear();

    d.line(R"({"type":"assistant","message":{"content":[{"type":"text","text":"done"}]},"parent_tool_use_id":null})");
    d.line(kResult);
    REQUIRE(d.chunks.size() == 3);
    CHECK(d.chunks[0].type == "text");
    CHECK(d.chunks[1].type == "usage");
    CHECK(d.chunks[2].type == "end");
    CHECK(d.chunks[2].reason == "completed");
    CHECK(d.chunks[2].resumeId == "s-1");
    CHECK(d.p.resumeId() == "s-1");
}

TEST_CASE("claude protocol: interrupt, and the aborted result ends the turn interrupted without an error", "[claude-protocol]") {
    Driver d;
    d.ready();
    d.p.interrupt(d.chunks, d.writes);
    REQUIRE(d.writes.size() == 1);
    auto w = obj(d.writes[0]);
    CHECK(w->getValue<std::string>("type") == "control_request");
    CHECK(w->getObject("request")->getValue<std::string>("subtype") == "interrupt");
    d.clear();
    d.line(R"({"type":"control_response","response":{"subtype":"success","request_id":")" +
           w->getValue<std::string>("request_id") + R"(","response":{"still_queued":[]}}})");
    d.line(R"({"type":"result","subtype":"error_during_execution","is_error":true,"session_id":"s-1","terminal_reason":"aborted_streaming"})");
    for (auto& c : d.chunks) CHECK(c.type != "error");
    REQUIRE_FALSE(d.chunks.empty());
    CHECK(d.chunks.back().type == "end");
    CHECK(d.chunks.back().reason == "interrupted");

    // The next turn is an ordinary one again: an error result fails it.
    d.clear();
    AgentRequest r;
    r.prompt = "again";
    d.p.turn(r, d.chunks, d.writes);
    d.line(R"({"type":"result","subtype":"error_during_execution","is_error":true,"result":"boom","session_id":"s-1"})");
    CHECK(d.chunks.front().type == "error");
    CHECK(d.chunks.back().reason == "failed");
}
