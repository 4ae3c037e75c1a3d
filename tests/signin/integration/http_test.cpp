// Sign-in from the page: POST/DELETE /api/agents/:id/login and .../login/code
// on a real `wildws serve`, with the fake claude and codex in a PTY.
#include "signin_env.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace std::chrono_literals;

namespace {

wt::Headers auth(wt::Server& s) { return {{"Authorization", s.bearer()}, {"Content-Type", "application/json"}}; }

std::unique_ptr<wt::HttpStream> login(wt::Server& s, const std::string& agent) {
    return std::make_unique<wt::HttpStream>(
        s.port(), wt::rawRequest(s.port(), "POST", "/api/agents/" + agent + "/login", auth(s), "{}"));
}

/// Lines until one of type `type` (inclusive).
std::vector<Poco::JSON::Object::Ptr> until(wt::HttpStream& st, const std::string& type, std::chrono::seconds d = 20s) {
    std::vector<Poco::JSON::Object::Ptr> out;
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        auto l = st.line(1s);
        if (!l) continue;
        out.push_back(si::parse(*l));
        if (out.back()->getValue<std::string>("type") == type) break;
    }
    return out;
}

void checkError(const wt::HttpResult& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    CHECK(si::parse(r.body)->getValue<std::string>("error") == code);
}

std::vector<int> pids(const std::string& file) {
    std::vector<int> out;
    for (auto& l : wt::lines(wt::readFile(file)))
        if (!l.empty()) out.push_back(std::stoi(l));
    return out;
}

} // namespace

TEST_CASE("the page signs claude in: the link, the code prompt, the code, end signed in", "[signin][http]") {
    si::Env e;
    auto s = e.serve();
    auto agents = wt::http(s->port(), "GET", "/api/agents", auth(*s));
    INFO(agents.body << s->child().output());
    CHECK(si::agentRow(agents.body, "claude")->getValue<bool>("signedIn") == false);

    auto st = login(*s, "claude");
    REQUIRE(st->status() == 200);
    auto lines = until(*st, "prompt");
    REQUIRE(lines.size() >= 2);
    bool sawUrl = false;
    for (auto& l : lines)
        if (l->getValue<std::string>("type") == "url") {
            sawUrl = true;
            CHECK(l->getValue<std::string>("url") == "https://claude.com/cai/oauth/authorize?code=true&client_id=fixture&state=abc123");
        }
    CHECK(sawUrl);
    CHECK(lines.back()->getValue<std::string>("text") == "Paste code here if prompted");
    for (auto& l : lines)
        if (l->has("text")) CHECK(l->getValue<std::string>("text").find('\x1b') == std::string::npos);

    auto sent = wt::http(s->port(), "POST", "/api/agents/claude/login/code", auth(*s), R"({"code":"GOOD-CODE"})");
    CHECK(sent.status == 200);
    CHECK(si::parse(sent.body)->getValue<bool>("sent"));
    auto rest = until(*st, "end");
    REQUIRE_FALSE(rest.empty());
    CHECK(rest.back()->getValue<std::string>("type") == "end");
    CHECK(rest.back()->getValue<bool>("signedIn"));
    CHECK(rest.back()->getValue<int>("code") == 0);

    agents = wt::http(s->port(), "GET", "/api/agents", auth(*s));
    CHECK(si::agentRow(agents.body, "claude")->getValue<bool>("signedIn") == true);
    // Neither the code nor the link reached a log line.
    std::string logs = wt::readFile(e.home + "/logs/agent.log") + s->child().output();
    CHECK(logs.find("GOOD-CODE") == std::string::npos);
    CHECK(logs.find("state=abc123") == std::string::npos);
}

TEST_CASE("a prompt to claude known to be signed out is answered at once with how to sign in", "[signin][http]") {
    si::Env e;
    auto s = e.serve();
    wt::http(s->port(), "GET", "/api/agents", auth(*s)); // the page lists agents first
    auto r = wt::http(s->port(), "POST", "/api/chat", auth(*s), R"({"prompt":"hi","agent":"claude"})");
    checkError(r, 503, "not-signed-in");
    CHECK(si::parse(r.body)->getValue<std::string>("message") ==
          "Claude Code is not signed in: click Sign in, or run `claude auth login` (or `wildws agent login claude`)");
}

TEST_CASE("sign-in routes: every error", "[signin][http]") {
    si::Env e;
    auto s = e.serve();
    checkError(wt::http(s->port(), "POST", "/api/agents/nope/login", auth(*s), "{}"), 404, "unknown-agent");
    checkError(wt::http(s->port(), "POST", "/api/agents/nope/login/code", auth(*s), R"({"code":"x"})"), 404, "unknown-agent");
    checkError(wt::http(s->port(), "DELETE", "/api/agents/nope/login", auth(*s)), 404, "unknown-agent");
    checkError(wt::http(s->port(), "POST", "/api/agents/gemini/login", auth(*s), "{}"), 503, "agent-not-installed");
    checkError(wt::http(s->port(), "POST", "/api/agents/command/login", auth(*s), "{}"), 400, "no-signin-command");
    checkError(wt::http(s->port(), "POST", "/api/agents/claude/login/code", auth(*s), R"({"code":"x"})"), 409, "no-signin");
    checkError(wt::http(s->port(), "DELETE", "/api/agents/claude/login", auth(*s)), 409, "no-signin");
    checkError(wt::http(s->port(), "POST", "/api/agents/claude/login/code", auth(*s), "not json"), 400, "bad-json");
    checkError(wt::http(s->port(), "POST", "/api/agents/claude/login/code", auth(*s), R"({"code":"a\nb"})"), 400, "bad-code");
    checkError(wt::http(s->port(), "POST", "/api/agents/claude/login/code", auth(*s), R"({})"), 400, "bad-code");
    auto noAuth = wt::http(s->port(), "POST", "/api/agents/claude/login", {{"Content-Type", "application/json"}}, "{}");
    CHECK(noAuth.status == 401);

    // One sign-in per agent at a time.
    auto first = login(*s, "claude");
    REQUIRE(first->status() == 200);
    until(*first, "prompt");
    checkError(wt::http(s->port(), "POST", "/api/agents/claude/login", auth(*s), "{}"), 409, "signin-running");
    auto stopped = wt::http(s->port(), "DELETE", "/api/agents/claude/login", auth(*s));
    CHECK(stopped.status == 200);
    auto end = until(*first, "end");
    CHECK(end.back()->getValue<bool>("signedIn") == false);
}

TEST_CASE("gemini has no sign-in command to run from the page", "[signin][http]") {
    si::Env e;
    e.sets.push_back("--set");
    e.sets.push_back("plugin.gemini.gemini_path=/bin/true");
    auto s = e.serve();
    auto r = wt::http(s->port(), "POST", "/api/agents/gemini/login", auth(*s), "{}");
    checkError(r, 400, "no-signin-command");
    CHECK(wt::contains(r.body, "set GEMINI_API_KEY"));
}

TEST_CASE("stopping a sign-in that ignores SIGTERM ends its whole group", "[signin][http]") {
    si::Env e;
    e.env["FAKE_SIGNIN_MODE"] = "hang";
    e.env["FAKE_SIGNIN_PIDS"] = e.dir / "pids";
    auto s = e.serve();
    auto st = login(*s, "claude");
    REQUIRE(st->status() == 200);
    until(*st, "url");
    // The CLI and the child it forked have both written their pid.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (pids(e.dir / "pids").size() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    auto all = pids(e.dir / "pids");
    REQUIRE(all.size() >= 3);
    auto r = wt::http(s->port(), "DELETE", "/api/agents/claude/login", auth(*s));
    INFO(r.body);
    CHECK(r.status == 200);
    CHECK(si::parse(r.body)->getValue<bool>("stopped"));
    for (int pid : all) CHECK(si::pidGone(pid));
    auto end = until(*st, "end");
    CHECK(end.back()->getValue<std::string>("type") == "end");
    CHECK(end.back()->getValue<int>("code") == 128 + 9);
}

TEST_CASE("stopping codex's sign-in frees the port its callback listened on", "[signin][http]") {
    si::Env e;
    int port = wt::freePort();
    e.env["FAKE_CALLBACK_PORT"] = std::to_string(port);
    auto s = e.serve();
    auto st = login(*s, "codex");
    REQUIRE(st->status() == 200);
    auto lines = until(*st, "url");
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.back()->getValue<std::string>("url").rfind("https://auth.openai.com/oauth/authorize?", 0) == 0);
    auto r = wt::http(s->port(), "DELETE", "/api/agents/codex/login", auth(*s));
    CHECK(r.status == 200);
    CHECK(si::parse(r.body)->getValue<bool>("portsFree"));
    // Nothing listens there any more.
    CHECK(si::portFreeNow(port));
}

TEST_CASE("codex's sign-in is refused while its callback port 1455 is taken", "[signin][http]") {
    si::Env e;
    auto s = e.serve();
    // Hold 127.0.0.1:1455 (if something else already does, the answer is the same).
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(1455);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool mine = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd, 1) == 0;
    INFO("held by this test: " << mine);
    auto r = wt::http(s->port(), "POST", "/api/agents/codex/login", auth(*s), "{}");
    ::close(fd);
    checkError(r, 409, "port-in-use");
    CHECK(si::parse(r.body)->getValue<std::string>("message") ==
          "port 1455 on 127.0.0.1, which Codex's sign-in needs, is in use: stop what holds it");
}

TEST_CASE("the page leaving the sign-in stream stops the sign-in", "[signin][http]") {
    si::Env e;
    e.env["FAKE_SIGNIN_PIDS"] = e.dir / "pids";
    auto s = e.serve();
    {
        auto st = login(*s, "claude");
        REQUIRE(st->status() == 200);
        until(*st, "prompt");
        st->close();
    }
    auto all = pids(e.dir / "pids");
    REQUIRE_FALSE(all.empty());
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!si::pidGone(all[0]) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    CHECK(si::pidGone(all[0]));
    // Once wildws says none is running, another can start.
    deadline = std::chrono::steady_clock::now() + 10s;
    while (wt::http(s->port(), "DELETE", "/api/agents/claude/login", auth(*s)).status != 409 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    auto again = login(*s, "claude");
    CHECK(again->status() == 200);
}
