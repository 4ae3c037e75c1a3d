// The chat API on a real `wildws serve`, driven by the fixture agents.
#include "agent_env.hpp"

#include <http_client.hpp>
#include <server.hpp>

#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;

namespace {

wt::Server serve(const wt::TempDir& home, std::map<std::string, std::string> extra = {}, wt::RunOptions o = {}) {
    return wt::Server(home.path(), "serve", ai::fixtureSets(std::move(extra)), o);
}

wt::Headers auth(wt::Server& s, bool json = true) {
    wt::Headers h{{"Authorization", s.bearer()}};
    if (json) h.emplace_back("Content-Type", "application/json");
    return h;
}

std::string body(const std::map<std::string, std::string>& fields) {
    Poco::JSON::Object o;
    for (auto& [k, v] : fields) o.set(k, v);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

Poco::JSON::Object::Ptr parse(const std::string& line) {
    return Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
}

/// POST /api/chat as a stream.
std::unique_ptr<wt::HttpStream> chat(wt::Server& s, const std::map<std::string, std::string>& fields) {
    return std::make_unique<wt::HttpStream>(s.port(), wt::rawRequest(s.port(), "POST", "/api/chat", auth(s), body(fields)));
}

/// Every line of a stream until `end` (or the timeout).
std::vector<Poco::JSON::Object::Ptr> readAll(wt::HttpStream& st, std::chrono::milliseconds d = 20s) {
    std::vector<Poco::JSON::Object::Ptr> out;
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        auto l = st.line(1s);
        if (!l) continue;
        out.push_back(parse(*l));
        if (out.back()->getValue<std::string>("type") == "end") break;
    }
    return out;
}

/// Reads lines until one has type `type` (and, when `tag` is given, a stderr
/// line starting with it was seen too); returns them all.
std::vector<Poco::JSON::Object::Ptr> readUntil(wt::HttpStream& st, const std::string& type, const std::string& tag = {},
                                               std::chrono::milliseconds d = 10s) {
    std::vector<Poco::JSON::Object::Ptr> out;
    bool typeSeen = false, tagSeen = tag.empty();
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline && !(typeSeen && tagSeen)) {
        auto l = st.line(200ms);
        if (!l) continue;
        out.push_back(parse(*l));
        std::string t = out.back()->getValue<std::string>("type");
        typeSeen = typeSeen || t == type;
        if (t == "stderr" && !tag.empty() && out.back()->getValue<std::string>("text").rfind(tag, 0) == 0) tagSeen = true;
    }
    return out;
}

int pidTagged(const std::vector<Poco::JSON::Object::Ptr>& lines, const std::string& tag) {
    for (auto& l : lines)
        if (l->getValue<std::string>("type") == "stderr") {
            auto t = l->getValue<std::string>("text");
            if (t.rfind(tag, 0) == 0) return std::stoi(t.substr(tag.size() + 1));
        }
    return -1;
}

void checkError(const wt::HttpResult& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    if (r.status == status) CHECK(parse(r.body)->getValue<std::string>("error") == code);
}

} // namespace

TEST_CASE("POST /api/chat streams chunks, the first line naming the session", "[http]") {
    wt::TempDir home;
    auto s = serve(home);
    auto st = chat(s, {{"prompt", "replay tool_use"}});
    REQUIRE(st->status() == 200);
    auto lines = readAll(*st);
    REQUIRE(lines.size() == 15);
    CHECK(lines[0]->getValue<std::string>("type") == "start");
    CHECK(lines[0]->getValue<std::string>("agent") == "claude");
    CHECK_FALSE(lines[0]->getValue<std::string>("sessionId").empty());
    CHECK(ai::typesOf(lines).back() == "end");
    CHECK(lines.back()->getValue<std::string>("reason") == "completed");

    auto agents = wt::http(s.port(), "GET", "/api/agents", auth(s, false));
    REQUIRE(agents.status == 200);
    CHECK(parse(agents.body)->getValue<std::string>("default") == "claude");
    CHECK(wt::http(s.port(), "GET", "/api/agents").status == 401);
    CHECK(wt::http(s.port(), "POST", "/api/chat", {{"Content-Type", "application/json"}}, body({{"prompt", "x"}})).status == 401);
}

TEST_CASE("a prompt with quotes, newlines and a leading dash arrives intact over HTTP", "[http][prompt]") {
    wt::TempDir home;
    wt::RunOptions o;
    o.env["AGENT_FIXTURE_LOG"] = home / "record.json";
    auto s = serve(home, {}, o);
    std::string prompt = "--help \"quoted\" 'single' $(id) `x`\nline two\u2028\t\\ end";
    auto st = chat(s, {{"prompt", prompt}, {"mode", "plan"}, {"cwd", home.path()}});
    REQUIRE(st->status() == 200);
    auto lines = readAll(*st);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.back()->getValue<std::string>("reason") == "completed");
    auto rec = ai::readJson(home / "record.json");
    CHECK(rec->getValue<std::string>("prompt") == prompt);
    CHECK(rec->getValue<std::string>("cwd") == home.path());
    auto argv = ai::stringArray(rec, "argv");
    CHECK(std::find(argv.begin(), argv.end(), "plan") != argv.end());
}

TEST_CASE("bad chat requests: 400 with a code, nothing started", "[http][errors]") {
    wt::TempDir home;
    auto s = serve(home);
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "  "}})), 400, "empty-prompt");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), "{}"), 400, "empty-prompt");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), "[1]"), 400, "bad-json");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), R"({"prompt": 7})"), 400, "bad-prompt");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}, {"agent", "nosuch"}})), 400,
               "unknown-agent");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}, {"mode", "yolo"}})), 400, "bad-mode");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}, {"cwd", "/nonexistent"}})), 400,
               "bad-cwd");
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}, {"sessionId", "nope"}})), 404,
               "unknown-session");
    auto list = wt::http(s.port(), "GET", "/api/chat/sessions", auth(s, false));
    REQUIRE(list.status == 200);
    CHECK(parse(list.body)->getArray("sessions")->size() == 0);
}

TEST_CASE("no agent installed: 503 with how to install one", "[http][errors]") {
    wt::TempDir home;
    auto s = serve(home, {{"claude_path", "/nonexistent/claude"}, {"codex_path", "/nonexistent/codex"}});
    auto r = wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}}));
    checkError(r, 503, "no-agent");
    CHECK(wt::contains(r.body, "npm install -g @anthropic-ai/claude-code"));
    auto one = wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}, {"agent", "codex"}}));
    checkError(one, 503, "agent-not-installed");
}

TEST_CASE("too many sessions: 429 until one ends", "[http][limits]") {
    wt::TempDir home;
    // One-shot: the client leaving ends the run (a live turn outlives it).
    auto s = serve(home, {{"max_sessions", "1"}, {"claude_interactive", "false"}});
    auto first = chat(s, {{"prompt", "hang"}});
    REQUIRE(first->status() == 200);
    auto start = readUntil(*first, "start");
    REQUIRE_FALSE(start.empty());
    checkError(wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}})), 429, "too-many-sessions");
    first->close();
    REQUIRE(ai::waitFor(
        [&] { return wt::http(s.port(), "POST", "/api/chat", auth(s), body({{"prompt", "hi"}})).status == 200; }, 5s));
}

TEST_CASE("the cancel route stops a running turn and its group", "[http][cancel]") {
    wt::TempDir home;
    auto s = serve(home);
    auto st = chat(s, {{"prompt", "grandchild"}});
    REQUIRE(st->status() == 200);
    auto seen = readUntil(*st, "text", "grandchild-pid");
    REQUIRE_FALSE(seen.empty());
    std::string id = seen[0]->getValue<std::string>("sessionId");
    int grandchild = pidTagged(seen, "grandchild-pid");
    REQUIRE(grandchild > 0);

    auto started = std::chrono::steady_clock::now();
    auto r = wt::http(s.port(), "POST", "/api/chat/" + id + "/cancel", auth(s), "{}");
    REQUIRE(r.status == 200);
    CHECK(parse(r.body)->getValue<bool>("stopped"));
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(ai::waitGone(grandchild, 1s));
    auto rest = readAll(*st, 5s);
    REQUIRE_FALSE(rest.empty());
    CHECK(rest.back()->getValue<std::string>("reason") == "cancelled");
    bool said = false;
    for (auto& l : rest) said = said || (l->getValue<std::string>("type") == "error" && l->getValue<std::string>("message") == "cancelled by the owner");
    CHECK(said);

    checkError(wt::http(s.port(), "POST", "/api/chat/" + id + "/cancel", auth(s), "{}"), 409, "not-running");
    checkError(wt::http(s.port(), "POST", "/api/chat/nosuchsession/cancel", auth(s), "{}"), 404, "unknown-session");
}

TEST_CASE("a client that disconnects mid-stream gets its one-shot agent group killed within 2 s", "[http][disconnect]") {
    wt::TempDir home;
    auto s = serve(home, {{"claude_interactive", "false"}});
    for (int trial = 0; trial < 30; ++trial) {
        // An agent with a child, one that ignores SIGTERM, one that floods its pipe.
        const char* prompts[] = {"grandchild", "ignore-term", "slow 100000 0"};
        auto st = chat(s, {{"prompt", prompts[trial % 3]}});
        REQUIRE(st->status() == 200);
        auto seen = readUntil(*st, "text", trial % 3 == 0 ? "grandchild-pid" : "");
        REQUIRE_FALSE(seen.empty());
        std::string id = seen[0]->getValue<std::string>("sessionId");
        int grandchild = pidTagged(seen, "grandchild-pid");
        auto closedAt = std::chrono::steady_clock::now();
        st->close();
        // The session's end is recorded once the group is dead and reaped.
        bool ended = ai::waitFor(
            [&] { return wt::contains(wt::readFile(home / ("sessions/" + id + ".jsonl")), "\"type\":\"end\""); }, 3s);
        auto took = std::chrono::steady_clock::now() - closedAt;
        INFO("trial " << trial << " took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
        CHECK(ended);
        CHECK(took < 2s);
        if (grandchild > 0) CHECK(ai::processGone(grandchild));
        auto stored = wt::readFile(home / ("sessions/" + id + ".jsonl"));
        CHECK(wt::contains(stored, "\"message\":\"the client went away\""));
        CHECK(wt::contains(stored, "\"reason\":\"cancelled\""));
    }
}

TEST_CASE("conversations are listed, reopened and continued, also after a restart", "[http][sessions]") {
    wt::TempDir home;
    wt::RunOptions o;
    o.env["AGENT_FIXTURE_LOG"] = home / "record.json";
    std::string id;
    std::string createdAt;
    auto wallMs = [] {
        return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
    };
    {
        auto s = serve(home, {}, o);
        const long long before = wallMs();
        auto st = chat(s, {{"prompt", "first question\nwith detail"}});
        REQUIRE(st->status() == 200);
        auto lines = readAll(*st);
        const long long after = wallMs();
        id = lines.at(0)->getValue<std::string>("sessionId");

        auto list = wt::http(s.port(), "GET", "/api/chat/sessions", auth(s, false));
        REQUIRE(list.status == 200);
        auto sessions = parse(list.body)->getArray("sessions");
        REQUIRE(sessions->size() == 1);
        auto meta = sessions->getObject(0);
        CHECK(meta->getValue<std::string>("id") == id);
        CHECK(meta->getValue<std::string>("title") == "first question");
        CHECK(meta->getValue<std::string>("agent") == "claude");
        CHECK(meta->getValue<int>("turns") == 1);
        CHECK(meta->getValue<bool>("resumable"));
        CHECK_FALSE(meta->getValue<bool>("running"));
        CHECK(meta->getObject("lastEnd")->getValue<std::string>("reason") == "completed");
        // Times are ISO 8601 UTC with ms: the moments of this turn.
        createdAt = meta->getValue<std::string>("createdAt");
        auto created = wt::isoMs(createdAt), updated = wt::isoMs(meta->getValue<std::string>("updatedAt"));
        REQUIRE(created);
        REQUIRE(updated);
        CHECK(*created >= before);
        CHECK(*created <= *updated);
        CHECK(*updated <= after);

        auto follow = chat(s, {{"prompt", "and a follow-up"}, {"sessionId", id}});
        REQUIRE(follow->status() == 200);
        auto more = readAll(*follow);
        CHECK(more.at(0)->getValue<std::string>("sessionId") == id);
        CHECK(more.at(0)->getValue<bool>("resumed"));
        CHECK(more.at(0)->getValue<bool>("live")); // into the running agent: no respawn
        auto argv = ai::stringArray(ai::readJson(home / "record.json"), "argv");
        CHECK(std::find(argv.begin(), argv.end(), "--resume") == argv.end());
    }
    auto s = serve(home, {}, o); // a restart: same home, new process
    auto one = wt::http(s.port(), "GET", "/api/chat/sessions/" + id, auth(s, false));
    REQUIRE(one.status == 200);
    CHECK(wt::contains(one.header("Content-Type").value_or(""), "application/x-ndjson"));
    auto lines = ai::jsonLines(one.body);
    REQUIRE(lines.size() >= 9);
    CHECK(lines[0]->getValue<std::string>("type") == "session");
    CHECK(lines[0]->getValue<int>("turns") == 2);
    CHECK(lines[0]->getValue<std::string>("createdAt") == createdAt);
    // The transcript's stored lines are served as they are stored: "at" in ms.
    CHECK(lines[1]->get("at").isInteger());
    CHECK(lines[1]->getValue<long long>("at") == *wt::isoMs(createdAt));
    auto types = ai::typesOf(lines);
    CHECK(std::count(types.begin(), types.end(), "prompt") == 2);
    CHECK(std::count(types.begin(), types.end(), "end") == 2);
    CHECK(lines[1]->getValue<std::string>("text") == "first question\nwith detail");

    auto again = chat(s, {{"prompt", "after the restart"}, {"sessionId", id}});
    REQUIRE(again->status() == 200);
    auto first = readAll(*again).at(0);
    CHECK(first->getValue<bool>("resumed"));
    CHECK_FALSE(first->getValue<bool>("live"));
    auto argv = ai::stringArray(ai::readJson(home / "record.json"), "argv");
    auto it = std::find(argv.begin(), argv.end(), "--resume");
    REQUIRE(it != argv.end());
    CHECK(*(it + 1) == "claude-sess-1");
    checkError(wt::http(s.port(), "GET", "/api/chat/sessions/nosuch", auth(s, false)), 404, "unknown-session");
    checkError(wt::http(s.port(), "GET", "/api/chat/sessions?limit=0", auth(s, false)), 400, "bad-limit");
}
