// serve's POST /api/support/agent-task: who gets in (forwarding headers,
// Host, secret, consent), what the body may be, and a task that runs.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <cctype>

using namespace st;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

void expect(const wt::HttpResult& r, int status, const std::string& code) {
    CHECK(r.status == status);
    if (!code.empty()) CHECK(str(parse(r.body), "error") == code);
}

} // namespace

TEST_CASE("support agent-task gate: forwarding headers, Host and secret", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    const std::string secret = s->secret("supportChannelSecret");
    const std::string body = R"({"prompt":"hi"})";

    SECTION("any forwarding header, even empty, in any case: 404 not_found") {
        for (std::string h : {"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP",
                              "CF-Connecting-IP", "CF-Ray", "Cf-Visitor", "True-Client-IP", "X-Client-IP",
                              "X-Original-Host", "Via"})
            for (const std::string& name : {h, lower(h), upper(h)})
                for (std::string value : {"", "1.2.3.4", "127.0.0.1"}) {
                    INFO(name << ": '" << value << "'");
                    expect(supportPost(*s, body, {{name, value}}), 404, "not_found");
                }
        // Before the secret is even looked at.
        expect(wt::http(s->port(), "POST", "/api/support/agent-task", {{"X-Forwarded-For", "1.2.3.4"}}, body), 404,
               "not_found");
    }
    SECTION("Host: only this server's loopback names pass") {
        const std::string p = std::to_string(s->port());
        for (std::string host : {"127.0.0.1:" + p, "localhost:" + p, "[::1]:" + p}) {
            INFO(host);
            expect(supportPost(*s, body, {{"Host", host}}), 200, "");
        }
        for (std::string host : {std::string("evil.example"), "localhost.evil.example:" + p, std::string("127.0.0.1:1"),
                                 ":" + p, std::string(""), std::string("<omit>"), "127.0.0.1.nip.io:" + p}) {
            INFO(host);
            expect(supportPost(*s, body, {{"Host", host}}), 403, "forbidden-host");
        }
    }
    SECTION("secret: missing, empty, wrong, shorter, longer, other case: 403 forbidden") {
        auto withSecret = [&](const std::optional<std::string>& v) {
            wt::Headers h{{"Content-Type", "application/json"}};
            if (v) h.push_back({"x-support-secret", *v});
            return wt::http(s->port(), "POST", "/api/support/agent-task", h, body);
        };
        std::string wrong = secret;
        wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
        for (auto v : std::vector<std::optional<std::string>>{std::nullopt, std::string(""), wrong,
                                                              secret.substr(0, secret.size() - 1), secret + "x",
                                                              upper(secret), s->token()}) {
            auto r = withSecret(v);
            CHECK(r.status == 403);
            auto o = parse(r.body);
            CHECK(str(o, "error") == "forbidden");
            CHECK(str(o, "message") == "forbidden");
        }
        expect(withSecret(secret), 200, "");
    }
}

TEST_CASE("support agent-task gate: consent none, expired, tier 1-2, tier 3-4", "[support_api][integration]") {
    Home home;
    auto s = serve(home);
    const std::string body = R"({"prompt":"hi"})";
    expect(supportPost(*s, body), 403, "no-consent");
    home.writeGrant(3, -1000, 10 * 60000); // granted 10 min ago, expired a second ago
    expect(supportPost(*s, body), 403, "no-consent");
    home.writeGrant(1, 60000);
    expect(supportPost(*s, body), 403, "tier-insufficient");
    home.writeGrant(2, 60000);
    auto r = supportPost(*s, body);
    expect(r, 403, "tier-insufficient");
    CHECK(str(parse(r.body), "message") == "'agent-task' needs tier 3, and support access is tier 2");
    home.writeGrant(3, 60000);
    expect(supportPost(*s, body), 200, "");
    home.writeGrant(4, 60000);
    expect(supportPost(*s, body), 200, "");
    wt::writeFile(home / "support-consent.json", "{not json");
    expect(supportPost(*s, body), 403, "no-consent");
    // Every refusal is in the owner's audit feed.
    auto denied = home.audit("agent-task");
    REQUIRE(denied.size() == 5);
    for (auto& e : denied) {
        CHECK_FALSE(e->getValue<bool>("ok"));
        CHECK(str(e, "actor") == "support-channel");
    }
}

TEST_CASE("support agent-task body: prompt, taskId, mode, and what is not JSON", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    const std::string secret = s->secret("supportChannelSecret");
    auto raw = [&](const std::string& type, const std::string& body) {
        wt::Headers h{{"x-support-secret", secret}, {"Content-Type", type}};
        if (body.empty()) h.push_back({"Content-Length", "0"});
        return wt::http(s->port(), "POST", "/api/support/agent-task", h, body);
    };
    expect(supportPost(*s, R"({"prompt":"   \n "})"), 400, "no-prompt");
    expect(supportPost(*s, "{}"), 400, "no-prompt");
    // A field of the wrong JSON type is refused, naming it.
    auto typed = supportPost(*s, R"({"prompt":42})");
    expect(typed, 400, "bad-args");
    CHECK(str(parse(typed.body), "message") == "prompt must be a string (got a number)");
    auto badTask = supportPost(*s, R"({"prompt":"hi","taskId":7})");
    expect(badTask, 400, "bad-args");
    CHECK(str(parse(badTask.body), "message") == "taskId must be a string (got a number)");
    auto badMode = supportPost(*s, R"({"prompt":"hi","mode":"yolo"})");
    expect(badMode, 400, "bad-args");
    CHECK(str(parse(badMode.body), "message") == "mode must be \"plan\" or \"build\" (got \"yolo\")");
    expect(supportPost(*s, R"({"prompt":"hi","mode":true})"), 400, "bad-args");
    expect(supportPost(*s, "[1,2]"), 400, "no-prompt");
    // A body that is not JSON (and does not claim to be) counts as {}.
    expect(raw("text/plain", "prompt=hi"), 400, "no-prompt");
    expect(raw("text/plain", ""), 400, "no-prompt");
    // One that claims to be JSON and is not is refused by the host first.
    expect(raw("application/json", "{\"prompt\":"), 400, "bad-json");

    auto r = supportPost(*s, R"({"prompt":"  sysprompt  ","taskId":")" + std::string(100, 'k') + R"(","mode":"plan"})");
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type").value_or("") == "application/x-ndjson");
    auto lines = wt::lines(r.body);
    REQUIRE(lines.size() >= 3);
    CHECK(wt::contains(r.body, "You are wildws support, operating this machine with the user's explicit, time-boxed consent."));
    auto end = parse(lines.back());
    CHECK(str(end, "type") == "end");
    CHECK(num(end, "code") == 0);
    CHECK(str(end, "reason") == "completed");
    CHECK(str(end, "path") == "serve");
    CHECK(str(end, "taskId") == std::string(64, 'k'));
    CHECK(str(parse(lines.front()), "type") == "start");
    auto start = home.audit("agent-task-start");
    REQUIRE(start.size() == 1);
    CHECK(wt::contains(str(start[0], "detail"), "mode=plan"));

    auto noTask = parse(wt::lines(supportPost(*s, R"({"prompt":"hi"})").body).back());
    CHECK(str(noTask, "taskId") == "task");
}

TEST_CASE("support agent-task recording: 0600, inside support-sessions, even for ../../secrets",
          "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    wt::writeFile(home / "secrets.jsonl.canary", "untouched");
    auto r = supportPost(*s, R"({"prompt":"tool","taskId":"../../secrets"})");
    REQUIRE(r.status == 200);
    auto end = parse(wt::lines(r.body).back());
    const std::string id = str(end, "id");
    CHECK(id == "___.._secrets");
    const std::string file = home / ("support-sessions/" + id + ".jsonl");
    auto st = wt::run({"/usr/bin/stat", "-c", "%a", file, home / "support-sessions"});
    CHECK(st.out == "600\n700\n");
    auto rec = wt::lines(wt::readFile(file));
    REQUIRE(rec.size() == wt::lines(r.body).size() + 1); // the header, then every line the client saw
    CHECK(str(parse(rec[0]), "type") == "task");
    CHECK(str(parse(rec[0]), "taskId") == "../../secrets");
    CHECK(str(parse(rec.back()), "reason") == "completed");
    CHECK(wt::readFile(home / "secrets.jsonl.canary") == "untouched");
    auto ls = wt::run({"/bin/ls", "-A", home / "support-sessions"});
    CHECK(ls.out == ".task.lock\n___.._secrets.jsonl\n");
    // Reused: a suffix, never an overwrite.
    auto again = parse(wt::lines(supportPost(*s, R"({"prompt":"tool","taskId":"../../secrets"})").body).back());
    CHECK(str(again, "id") == "___.._secrets-2");
}

TEST_CASE("support agent-task: no agent is 503, one task at a time is 409 busy", "[support_api][integration]") {
    SECTION("no agent installed") {
        Home home("claude_path = /nonexistent/claude\ncodex_path = /nonexistent/codex\n");
        home.allow(3, 10);
        auto s = serve(home);
        auto r = supportPost(*s, R"({"prompt":"hi"})");
        expect(r, 503, "no-agent");
    }
    SECTION("busy") {
        Home home;
        home.allow(3, 10);
        auto s = serve(home);
        auto first = openAgentTask(*s, R"({"prompt":"hang","taskId":"long"})");
        REQUIRE(first->status() == 200);
        REQUIRE_FALSE(readUntil(*first, "\"start\"").empty());
        auto r = supportPost(*s, R"({"prompt":"hi","taskId":"second"})");
        expect(r, 409, "busy");
        CHECK(wt::contains(str(parse(r.body), "message"), "task 'long' in serve"));
        CHECK(flag(parse(ownerPost(*s, "/api/support/operate/cancel", "{}").body), "cancelled"));
        auto rest = readToEnd(*first, std::chrono::seconds(3));
        REQUIRE_FALSE(rest.empty());
        CHECK(str(parse(rest.back()), "reason") == "stopped-by-owner");
        expect(supportPost(*s, R"({"prompt":"hi","taskId":"second"})"), 200, "");
    }
}
