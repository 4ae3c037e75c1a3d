// codex app-server's other prompts on a real `wildws serve`, with fake-codex
// speaking the app-server protocol: item/permissions/requestApproval and
// item/tool/requestUserInput reach the owner as a permission and a question,
// and the owner's HTTP answer is checked as the exact JSON-RPC line the
// fixture read from its stdin (FAKE_APP_SERVER_LOG).
#include "agent_env.hpp"

#include <http_client.hpp>
#include <server.hpp>

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

using namespace std::chrono_literals;
using Json = Poco::JSON::Object::Ptr;

using ai::checkError;
using ai::find;
using ai::parse;
using ai::readUntil;

namespace {

struct Codex {
    wt::TempDir home;
    std::string log = home / "app-server.jsonl";
    wt::Server server;
    Codex() : server(home.path(), "serve", ai::fixtureSets(), runOptions(log)) {}
    static wt::RunOptions runOptions(const std::string& log) {
        wt::RunOptions o;
        o.env["FAKE_APP_SERVER_LOG"] = log;
        return o;
    }
    wt::Headers auth(bool json = true) {
        wt::Headers h{{"Authorization", server.bearer()}};
        if (json) h.emplace_back("Content-Type", "application/json");
        return h;
    }
    std::unique_ptr<wt::HttpStream> chat(const std::string& prompt) {
        Json o = new Poco::JSON::Object;
        o->set("prompt", prompt);
        o->set("agent", "codex");
        std::ostringstream body;
        o->stringify(body);
        return std::make_unique<wt::HttpStream>(server.port(),
                                                wt::rawRequest(server.port(), "POST", "/api/chat", auth(), body.str()));
    }
    wt::HttpResult answer(const std::string& id, const std::string& rid, const std::string& body) {
        return wt::http(server.port(), "POST", "/api/chat/" + id + "/permissions/" + rid, auth(), body);
    }
    /// The lines wildws wrote to the app-server's stdin that answer JSON-RPC id `rid`.
    std::vector<std::string> answersTo(const std::string& rid) {
        std::vector<std::string> out;
        for (auto& l : wt::lines(wt::readFile(log)))
            if (wt::contains(l, "{\"id\":" + rid + ",")) out.push_back(l);
        return out;
    }
    std::vector<std::string> sent() { return wt::lines(wt::readFile(log)); }
};

std::string saidText(const std::vector<Json>& lines) {
    std::string t;
    for (auto& l : lines)
        if (l->getValue<std::string>("type") == "text") t += l->getValue<std::string>("text");
    return t;
}

const std::string kAsked = R"({"network":{"enabled":true},"fileSystem":{"read":null,"write":["/tmp/proj/out"]}})";

} // namespace

TEST_CASE("codex item/permissions/requestApproval: a permission card, and each answer is the JSON-RPC result codex reads", "[http][codex-prompts]") {
    struct Case {
        std::string body, result, resolvedScope, decision;
    };
    std::vector<Case> cases = {
        {R"({"decision":"allow"})", R"({"permissions":)" + kAsked + R"(,"scope":"turn"})", "once", "allow"},
        {R"({"decision":"allow","scope":"session"})", R"({"permissions":)" + kAsked + R"(,"scope":"session"})", "session", "allow"},
        {R"({"decision":"deny","message":"no network today"})", R"({"permissions":{},"scope":"turn"})", "once", "deny"},
    };
    for (auto& c : cases) {
        INFO(c.body);
        Codex x;
        auto st = x.chat("perms");
        REQUIRE(st->status() == 200);
        auto seen = readUntil(*st, "permission");
        REQUIRE(seen.back()->getValue<std::string>("type") == "permission");
        std::string id = seen.front()->getValue<std::string>("sessionId");
        auto p = seen.back();
        std::string rid = p->getValue<std::string>("requestId");
        CHECK(rid == "101");
        CHECK(p->getValue<std::string>("tool") == "permissions");
        CHECK(p->getValue<std::string>("title") == "Codex asks for more permissions: network access, write /tmp/proj/out");
        auto input = p->getObject("input");
        CHECK(input->getValue<std::string>("reason") == "needs to fetch packages");
        CHECK(input->getValue<std::string>("cwd") == "/tmp/proj");
        CHECK(input->getObject("permissions")->getObject("network")->getValue<bool>("enabled"));
        CHECK(x.answersTo(rid).empty()); // nothing is answered before the owner

        auto r = x.answer(id, rid, c.body);
        REQUIRE(r.status == 200);
        auto rest = readUntil(*st, "end");
        auto sent = x.answersTo(rid);
        REQUIRE(sent.size() == 1);
        CHECK(sent[0] == "{\"id\":101,\"result\":" + c.result + "}");
        CHECK(saidText(rest) == "permissions: " + c.result);
        auto resolved = find(rest, "permission-resolved");
        REQUIRE(resolved);
        CHECK((*resolved)->getValue<std::string>("decision") == c.decision);
        CHECK((*resolved)->getValue<std::string>("scope") == c.resolvedScope);
        CHECK((*resolved)->getValue<std::string>("by") == "owner");
        CHECK(rest.back()->getValue<std::string>("reason") == "completed");
        checkError(x.answer(id, rid, R"({"decision":"allow"})"), 409, "already-answered");
    }
}

TEST_CASE("codex item/tool/requestUserInput: a question card, answered by question text into codex's answers by id", "[http][codex-prompts]") {
    Codex x;
    auto st = x.chat("question");
    auto seen = readUntil(*st, "question");
    REQUIRE(seen.back()->getValue<std::string>("type") == "question");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    auto q = seen.back();
    std::string rid = q->getValue<std::string>("requestId");
    auto questions = q->getArray("questions");
    REQUIRE(questions->size() == 2);
    auto first = questions->getObject(0);
    CHECK(first->getValue<std::string>("question") == "Which color?");
    CHECK(first->getValue<std::string>("header") == "Color");
    CHECK_FALSE(first->getValue<bool>("multiSelect"));
    REQUIRE(first->getArray("options")->size() == 2);
    CHECK(first->getArray("options")->getObject(1)->getValue<std::string>("label") == "blue");
    CHECK(first->getArray("options")->getObject(1)->getValue<std::string>("description") == "cool");
    auto second = questions->getObject(1);
    CHECK(second->getArray("options")->size() == 0); // free text: codex sent options null
    CHECK(second->getValue<bool>("isOther"));

    checkError(x.answer(id, rid, R"({"decision":"allow"})"), 400, "bad-decision");
    REQUIRE(x.answer(id, rid, R"({"decision":"allow","answers":{"Which color?":"blue","Its name?":"Teal, of course"}})").status == 200);
    auto rest = readUntil(*st, "end");
    const std::string result = R"({"answers":{"color":{"answers":["blue"]},"name":{"answers":["Teal, of course"]}}})";
    auto sent = x.answersTo(rid);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0] == "{\"id\":" + rid + ",\"result\":" + result + "}");
    CHECK(saidText(rest) == "answers: " + result);
    REQUIRE(find(rest, "permission-resolved"));
    CHECK((*find(rest, "permission-resolved"))->getValue<std::string>("decision") == "allow");
    CHECK(rest.back()->getValue<std::string>("reason") == "completed");
}

TEST_CASE("codex question denied: codex reads an empty answers map", "[http][codex-prompts]") {
    Codex x;
    auto st = x.chat("question");
    auto seen = readUntil(*st, "question");
    REQUIRE(seen.back()->getValue<std::string>("type") == "question");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    std::string rid = seen.back()->getValue<std::string>("requestId");
    REQUIRE(x.answer(id, rid, R"({"decision":"deny","message":"ask me later"})").status == 200);
    auto rest = readUntil(*st, "end");
    auto sent = x.answersTo(rid);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0] == "{\"id\":" + rid + ",\"result\":{\"answers\":{}}}");
    auto resolved = find(rest, "permission-resolved");
    REQUIRE(resolved);
    CHECK((*resolved)->getValue<std::string>("decision") == "deny");
    CHECK((*resolved)->getValue<std::string>("message") == "ask me later");
    CHECK(rest.back()->getValue<std::string>("reason") == "completed");
}

TEST_CASE("codex permissions request pending when the owner presses Stop: refused, then turn/interrupt", "[http][codex-prompts]") {
    Codex x;
    auto st = x.chat("perms");
    auto seen = readUntil(*st, "permission");
    REQUIRE(seen.back()->getValue<std::string>("type") == "permission");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    std::string rid = seen.back()->getValue<std::string>("requestId");
    auto r = wt::http(x.server.port(), "POST", "/api/chat/" + id + "/interrupt", x.auth(), "{}");
    REQUIRE(r.status == 200);
    auto rest = readUntil(*st, "end");
    auto resolved = find(rest, "permission-resolved");
    REQUIRE(resolved);
    CHECK((*resolved)->getValue<std::string>("by") == "interrupt");
    CHECK((*resolved)->getValue<std::string>("decision") == "deny");
    CHECK(rest.back()->getValue<std::string>("reason") == "interrupted");
    // The refusal first (an empty grant: this response has no "cancel"), then the interrupt.
    auto sent = x.sent();
    std::size_t refusal = sent.size(), interrupt = sent.size();
    for (std::size_t i = 0; i < sent.size(); ++i) {
        if (sent[i] == "{\"id\":" + rid + ",\"result\":{\"permissions\":{},\"scope\":\"turn\"}}") refusal = i;
        if (wt::contains(sent[i], "\"method\":\"turn/interrupt\"") && interrupt == sent.size()) interrupt = i;
    }
    REQUIRE(refusal < sent.size());
    REQUIRE(interrupt < sent.size());
    CHECK(refusal < interrupt);
    checkError(x.answer(id, rid, R"({"decision":"allow"})"), 409, "already-answered");
}

TEST_CASE("codex withdraws a question itself: resolved by agent, no longer waiting, nothing written back", "[http][codex-prompts]") {
    Codex x;
    auto st = x.chat("question-withdraw");
    auto seen = readUntil(*st, "question");
    REQUIRE(seen.back()->getValue<std::string>("type") == "question");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    std::string rid = seen.back()->getValue<std::string>("requestId");
    auto rest = readUntil(*st, "end");
    auto resolved = find(rest, "permission-resolved");
    REQUIRE(resolved);
    CHECK((*resolved)->getValue<std::string>("requestId") == rid);
    CHECK((*resolved)->getValue<std::string>("by") == "agent");
    CHECK((*resolved)->getValue<std::string>("message") == "codex withdrew the request");
    CHECK(saidText(rest) == "withdrawn");
    CHECK(rest.back()->getValue<std::string>("reason") == "completed");
    CHECK(x.answersTo(rid).empty());
    checkError(x.answer(id, rid, R"({"decision":"allow","answers":{"Which color?":"red"}})"), 409, "already-answered");
}
