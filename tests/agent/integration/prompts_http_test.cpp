// The routes around a live agent's prompts on a real `wildws serve`, with
// fake-claude speaking Claude's control protocol: answer, interrupt, follow
// up, images, and prompts that outlive the tab that saw them.
#include "agent_env.hpp"

#include <http_client.hpp>
#include <server.hpp>

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <thread>

using namespace std::chrono_literals;
using Json = Poco::JSON::Object::Ptr;

using ai::checkError;
using ai::find;
using ai::parse;
using ai::readUntil;

namespace {

wt::Server serve(const wt::TempDir& home, std::map<std::string, std::string> extra = {}) {
    return wt::Server(home.path(), "serve", ai::fixtureSets(std::move(extra)), {});
}

wt::Headers auth(wt::Server& s, bool json = true) {
    wt::Headers h{{"Authorization", s.bearer()}};
    if (json) h.emplace_back("Content-Type", "application/json");
    return h;
}

std::string str(const Json& o) {
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

std::unique_ptr<wt::HttpStream> chat(wt::Server& s, const std::string& body) {
    return std::make_unique<wt::HttpStream>(s.port(), wt::rawRequest(s.port(), "POST", "/api/chat", auth(s), body));
}
std::unique_ptr<wt::HttpStream> chat(wt::Server& s, const std::string& prompt, const std::string& sessionId) {
    Json o = new Poco::JSON::Object;
    o->set("prompt", prompt);
    if (!sessionId.empty()) o->set("sessionId", sessionId);
    return chat(s, str(o));
}

wt::HttpResult answer(wt::Server& s, const std::string& id, const std::string& requestId, const std::string& body) {
    return wt::http(s.port(), "POST", "/api/chat/" + id + "/permissions/" + requestId, auth(s), body);
}

Json sessionMeta(wt::Server& s, const std::string& id) {
    auto list = wt::http(s.port(), "GET", "/api/chat/sessions", auth(s, false));
    REQUIRE(list.status == 200);
    auto sessions = parse(list.body)->getArray("sessions");
    for (std::size_t i = 0; i < sessions->size(); ++i)
        if (sessions->getObject(static_cast<unsigned>(i))->getValue<std::string>("id") == id)
            return sessions->getObject(static_cast<unsigned>(i));
    return nullptr;
}

} // namespace

TEST_CASE("POST /api/chat/:id/permissions/:requestId answers a prompt, and every bad answer has its error", "[http][prompts]") {
    wt::TempDir home;
    auto s = serve(home);
    auto st = chat(s, "ask npm test", "");
    REQUIRE(st->status() == 200);
    auto seen = readUntil(*st, "permission");
    REQUIRE(seen.back()->getValue<std::string>("type") == "permission");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    auto p = seen.back();
    std::string rid = p->getValue<std::string>("requestId");
    CHECK(p->getValue<std::string>("tool") == "Bash");
    CHECK(p->getObject("input")->getValue<std::string>("command") == "npm test");
    CHECK(p->getValue<std::string>("title") == "Claude wants to run npm test");
    CHECK(p->getArray("suggestions")->size() == 1);

    checkError(answer(s, id, rid, "not json"), 400, "bad-json");
    checkError(answer(s, id, rid, R"({"decision":"yes"})"), 400, "bad-decision");
    checkError(answer(s, id, rid, R"({"scope":"once"})"), 400, "bad-decision");
    checkError(answer(s, id, rid, R"({"decision":"allow","scope":"always"})"), 400, "bad-decision");
    checkError(answer(s, id, rid, R"({"decision":"deny","message":7})"), 400, "bad-decision");
    checkError(answer(s, id, rid, R"({"decision":"allow","answers":["red"]})"), 400, "bad-decision");
    checkError(answer(s, "nosuchsession", rid, R"({"decision":"allow"})"), 404, "unknown-session");
    checkError(answer(s, id, "no-such-request", R"({"decision":"allow"})"), 404, "unknown-request");
    CHECK(wt::http(s.port(), "POST", "/api/chat/" + id + "/permissions/" + rid, {{"Content-Type", "application/json"}},
                   R"({"decision":"allow"})").status == 401);

    auto ok = answer(s, id, rid, R"({"decision":"allow","scope":"session"})");
    REQUIRE(ok.status == 200);
    auto body = parse(ok.body);
    CHECK(body->getValue<std::string>("requestId") == rid);
    CHECK(body->getValue<std::string>("decision") == "allow");
    CHECK(body->getValue<std::string>("scope") == "session");
    checkError(answer(s, id, rid, R"({"decision":"deny"})"), 409, "already-answered");

    auto rest = readUntil(*st, "end");
    auto resolved = find(rest, "permission-resolved");
    REQUIRE(resolved);
    CHECK((*resolved)->getValue<std::string>("requestId") == rid);
    CHECK((*resolved)->getValue<std::string>("by") == "owner");
    CHECK((*resolved)->getValue<std::string>("scope") == "session");
    REQUIRE(find(rest, "tool-result"));
    CHECK((*find(rest, "tool-result"))->getValue<bool>("ok"));
    CHECK(rest.back()->getValue<std::string>("reason") == "completed");
    checkError(answer(s, id, rid, R"({"decision":"deny"})"), 409, "already-answered");
}

TEST_CASE("a question is answered with answers over HTTP", "[http][prompts]") {
    wt::TempDir home;
    auto s = serve(home);
    auto st = chat(s, "question", "");
    auto seen = readUntil(*st, "question");
    REQUIRE(seen.back()->getValue<std::string>("type") == "question");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    auto q = seen.back();
    auto questions = q->getArray("questions");
    REQUIRE(questions->size() == 1);
    CHECK(questions->getObject(0)->getArray("options")->getObject(1)->getValue<std::string>("label") == "blue");
    std::string rid = q->getValue<std::string>("requestId");
    checkError(answer(s, id, rid, R"({"decision":"allow"})"), 400, "bad-decision");
    REQUIRE(answer(s, id, rid, R"({"decision":"allow","answers":{"Which color?":"blue"}})").status == 200);
    auto rest = readUntil(*st, "end");
    bool said = false;
    for (auto& l : rest)
        if (l->getValue<std::string>("type") == "text")
            said = said || wt::contains(l->getValue<std::string>("text"), R"(answers: {"Which color?":"blue"})");
    CHECK(said);
}

TEST_CASE("a waiting prompt survives a reload: listed as waiting, replayed as pending, announced on /api/events", "[http][prompts]") {
    wt::TempDir home;
    auto s = serve(home);
    auto events = std::make_unique<wt::HttpStream>(
        s.port(), wt::rawRequest(s.port(), "GET", "/api/events", {{"Authorization", s.bearer()}}));
    REQUIRE(events->status() == 200);

    auto st = chat(s, "ask npm test", "");
    auto seen = readUntil(*st, "permission");
    REQUIRE(seen.back()->getValue<std::string>("type") == "permission");
    std::string id = seen.front()->getValue<std::string>("sessionId");
    std::string rid = seen.back()->getValue<std::string>("requestId");
    st->close(); // the tab is reloaded

    // The event announcing it.
    Json announced;
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!announced && std::chrono::steady_clock::now() < deadline) {
        auto l = events->line(200ms);
        if (l && l->rfind("data: ", 0) == 0 && wt::contains(*l, "\"type\":\"chat-permission\"")) announced = parse(l->substr(6));
    }
    REQUIRE(announced);
    CHECK(announced->getValue<std::string>("sessionId") == id);
    CHECK(announced->getValue<std::string>("requestId") == rid);
    CHECK(announced->getValue<std::string>("kind") == "permission");
    CHECK(announced->getValue<std::string>("tool") == "Bash");

    std::this_thread::sleep_for(300ms); // the agent must still be waiting, not cancelled with the stream
    auto meta = sessionMeta(s, id);
    REQUIRE(meta);
    CHECK(meta->getValue<bool>("running"));
    CHECK(meta->getValue<bool>("waiting"));
    auto one = wt::http(s.port(), "GET", "/api/chat/sessions/" + id, auth(s, false));
    REQUIRE(one.status == 200);
    auto head = parse(wt::lines(one.body).at(0));
    CHECK(head->getValue<bool>("waiting"));
    auto pending = head->getArray("pending");
    REQUIRE(pending->size() == 1);
    CHECK(pending->getObject(0)->getValue<std::string>("type") == "permission");
    CHECK(pending->getObject(0)->getValue<std::string>("requestId") == rid);
    CHECK(wt::contains(one.body, "\"type\":\"permission\",\"requestId\":\"" + rid + "\""));

    // A second tab answers it; the turn finishes without any stream attached.
    REQUIRE(answer(s, id, rid, R"({"decision":"deny","message":"not now"})").status == 200);
    REQUIRE(ai::waitFor([&] { return !sessionMeta(s, id)->getValue<bool>("running"); }, 10s));
    meta = sessionMeta(s, id);
    CHECK_FALSE(meta->getValue<bool>("waiting"));
    CHECK(meta->getObject("lastEnd")->getValue<std::string>("reason") == "completed");
    auto stored = wt::readFile(home / ("sessions/" + id + ".jsonl"));
    CHECK(wt::contains(stored, "\"type\":\"permission-resolved\",\"requestId\":\"" + rid +
                                   "\",\"decision\":\"deny\",\"scope\":\"once\",\"by\":\"owner\",\"message\":\"not now\""));
    head = parse(wt::lines(wt::http(s.port(), "GET", "/api/chat/sessions/" + id, auth(s, false)).body).at(0));
    CHECK(head->getArray("pending")->size() == 0);
}

TEST_CASE("POST /api/chat/:id/interrupt ends the turn interrupted and the next message goes to the same agent", "[http][interrupt]") {
    wt::TempDir home;
    auto s = serve(home);
    auto st = chat(s, "wait", "");
    auto seen = readUntil(*st, "text");
    REQUIRE(seen.back()->getValue<std::string>("text") == "waiting");
    std::string id = seen.front()->getValue<std::string>("sessionId");

    checkError(wt::http(s.port(), "POST", "/api/chat/nosuchsession/interrupt", auth(s), "{}"), 404, "unknown-session");
    auto r = wt::http(s.port(), "POST", "/api/chat/" + id + "/interrupt", auth(s), "{}");
    REQUIRE(r.status == 200);
    auto body = parse(r.body);
    CHECK(body->getValue<std::string>("sessionId") == id);
    CHECK(body->getValue<bool>("interrupted"));
    CHECK(body->getValue<bool>("stopped"));
    auto rest = readUntil(*st, "end");
    CHECK(rest.back()->getValue<std::string>("reason") == "interrupted");
    CHECK_FALSE(find(rest, "error"));
    checkError(wt::http(s.port(), "POST", "/api/chat/" + id + "/interrupt", auth(s), "{}"), 409, "not-running");

    auto meta = sessionMeta(s, id);
    CHECK(meta->getValue<bool>("live"));
    auto next = chat(s, "pid", id);
    REQUIRE(next->status() == 200);
    auto lines = readUntil(*next, "end");
    CHECK(lines.front()->getValue<bool>("live"));
    CHECK(lines.back()->getValue<std::string>("reason") == "completed");
}

TEST_CASE("images on a user turn: to claude as image blocks, refused for others and when malformed", "[http][images]") {
    wt::TempDir home;
    auto s = serve(home);
    auto st = chat(s, R"({"prompt":"what is this","images":[{"mediaType":"image/png","data":"iVBORw0KGgo="}]})");
    REQUIRE(st->status() == 200);
    auto lines = readUntil(*st, "end");
    REQUIRE(find(lines, "text"));
    CHECK((*find(lines, "text"))->getValue<std::string>("text") == "you said: what is this [1 images: image/png]");
    auto post = [&](const std::string& b) { return wt::http(s.port(), "POST", "/api/chat", auth(s), b); };
    checkError(post(R"({"prompt":"x","images":{"mediaType":"image/png"}})"), 400, "bad-image");
    checkError(post(R"({"prompt":"x","images":[7]})"), 400, "bad-image");
    checkError(post(R"({"prompt":"x","images":[{"mediaType":"text/html","data":"PGI+"}]})"), 400, "bad-image");
    checkError(post(R"({"prompt":"x","images":[{"mediaType":"image/png","data":"data:image/png;base64,AA=="}]})"), 400,
               "bad-image");
    checkError(post(R"({"prompt":"x","images":[{"mediaType":"image/png"}]})"), 400, "bad-image");
    auto refused = post(R"({"prompt":"x","agent":"codex","images":[{"mediaType":"image/png","data":"iVBORw0KGgo="}]})");
    checkError(refused, 400, "images-not-supported");
    CHECK(wt::contains(refused.body, "Codex does not take images"));
}

TEST_CASE("GET /api/agents says how each agent is driven and what it can do", "[http][agents]") {
    wt::TempDir home;
    auto s = serve(home);
    auto r = wt::http(s.port(), "GET", "/api/agents", auth(s, false));
    REQUIRE(r.status == 200);
    auto agents = parse(r.body)->getArray("agents");
    auto claude = agents->getObject(0);
    CHECK(claude->getValue<std::string>("id") == "claude");
    CHECK(claude->getValue<std::string>("protocol") == "stream-json (live)");
    auto caps = claude->getObject("capabilities");
    for (const char* k : {"interactive", "permissions", "questions", "interrupt", "followUp", "images"}) CHECK(caps->getValue<bool>(k));
}
