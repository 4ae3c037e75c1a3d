// The daemon's operator routes and the actions this plugin ships: the
// operator gate, every action at every tier, bad args, diagnostics and logs
// without secrets, agent-task relayed to serve or run in the daemon.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>
#include <thread>

using namespace st;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

void expect(const wt::HttpResult& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    if (!code.empty()) CHECK(str(parse(r.body), "error") == code);
}

/// Valid args for each shipped action.
const std::vector<std::pair<std::string, std::string>> kActions = {
    {"diagnostics", "{}"},
    {"logs", R"({"channel":"wildws","lines":5})"},
    {"agent-task", R"({"prompt":"hi","taskId":"tier-matrix"})"},
    {"shell", R"({"command":"echo shell-ran"})"},
};

int minTier(const std::string& action) {
    return action == "agent-task" ? 3 : action == "shell" ? 4 : 1;
}

/// The secret values of this home, and an operator token.
std::vector<std::string> secretsOf(const Home& home, const std::string& token) {
    return {home.secret("partnerToken"), home.secret("shareSecret"), home.secret("supportChannelSecret"), token};
}

} // namespace

TEST_CASE("support daemon: the operator gate", "[support_api][integration]") {
    Home home;
    home.allow(4, 10);
    auto d = daemon(home);
    auto list = [&](const wt::Headers& h) { return wt::http(d->port(), "GET", "/api/support/actions", h); };
    expect(list({}), 401, "operator-required");
    expect(list({{"Authorization", "Bearer "}}), 401, "operator-required");
    expect(list({{"Authorization", "Bearer wwop_notthetoken"}}), 401, "operator-required");
    expect(list({{"Authorization", "Bearer " + d->token()}}), 401, "operator-required"); // the owner's token is not it
    const std::string token = home.operatorToken();
    expect(list({{"Authorization", "Bearer " + token}}), 200, "");
    expect(list({{"Authorization", "Bearer " + token + "x"}}), 401, "operator-required");
    expect(operatorPost(d->port(), "wrong", "diagnostics", "{}"), 401, "operator-required");
    // A new token replaces the old one; disabling ends both.
    const std::string second = home.operatorToken();
    expect(list({{"Authorization", "Bearer " + token}}), 401, "operator-required");
    expect(list({{"Authorization", "Bearer " + second}}), 200, "");
    REQUIRE(home.cli({"operator", "disable"}).code == 0);
    expect(list({{"Authorization", "Bearer " + second}}), 401, "operator-required");
    expect(operatorPost(d->port(), second, "diagnostics", "{}"), 401, "operator-required");
}

TEST_CASE("support daemon: every action at every tier", "[support_api][integration]") {
    Home home;
    const std::string token = home.operatorToken();
    auto d = daemon(home); // serve is not running: agent-task runs in the daemon
    // none, expired, then tiers 1..4
    auto setGrant = [&](int tier) {
        if (tier == -1) home.writeGrant(3, -1000, 10 * 60000);
        else if (tier == 0) ::unlink((home / "support-consent.json").c_str());
        else home.writeGrant(tier, 10 * 60000);
    };
    for (int tier = -1; tier <= 4; ++tier) {
        setGrant(tier);
        auto listed = parse(wt::http(d->port(), "GET", "/api/support/actions", {{"Authorization", "Bearer " + token}}).body);
        auto actions = arr(listed, "actions");
        REQUIRE(actions);
        for (auto& [name, args] : kActions) {
            INFO("tier " << tier << ", action " << name);
            const int need = minTier(name);
            bool listedAllowed = false, found = false;
            for (std::size_t i = 0; i < actions->size(); ++i)
                if (str(actions->getObject(i), "name") == name) {
                    found = true;
                    listedAllowed = flag(actions->getObject(i), "allowedNow");
                    CHECK(num(actions->getObject(i), "minTier") == need);
                }
            CHECK(found);
            CHECK(listedAllowed == (tier >= need));
            // The first reader of an expired grant records the expiry and
            // removes the file; only that reader is told "expired".
            if (tier == -1) setGrant(tier);
            const auto before = home.audit().size();
            auto r = operatorPost(d->port(), token, name, args);
            if (tier == -1) {
                expect(r, 403, "expired");
            } else if (tier == 0) {
                expect(r, 403, "no-consent");
            } else if (tier < need) {
                expect(r, 403, "tier-insufficient");
                CHECK(wt::contains(str(parse(r.body), "message"), "needs tier " + std::to_string(need)));
            } else {
                CHECK(r.status == 200);
                if (name == "shell") CHECK(wt::contains(r.body, "shell-ran"));
                if (name == "agent-task") CHECK(wt::contains(r.body, "\"path\":\"daemon\""));
            }
            // The attempt is the first new audit line, with its verdict.
            auto audit = home.audit();
            REQUIRE(audit.size() > before);
            auto entry = audit[before];
            if (str(entry, "action") == "grant-expired") entry = audit.at(before + 1);
            CHECK(str(entry, "action") == name);
            CHECK(entry->getValue<bool>("ok") == (tier >= need));
            CHECK(str(entry, "actor") == "operator");
        }
    }
    // The command text of a shell call is in the audit.
    bool commandAudited = false;
    for (auto& e : home.audit("shell")) commandAudited = commandAudited || wt::contains(str(e, "detail"), "echo shell-ran");
    CHECK(commandAudited);
}

TEST_CASE("support daemon: unknown actions and bad args", "[support_api][integration]") {
    Home home;
    home.allow(4, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    expect(operatorPost(d->port(), token, "format-disk", "{}"), 404, "unknown-action");
    struct Bad {
        std::string action, args, field;
    };
    for (auto& b : std::vector<Bad>{
             {"logs", "{}", "channel"},
             {"logs", R"({"channel":"wildws","lines":5000})", "lines"},
             {"logs", R"({"channel":"wildws","lines":"10"})", "lines"},
             {"shell", "{}", "command"},
             {"shell", R"({"command":"  "})", "command"},
             {"shell", R"({"command":"echo )" + std::string(1800, 'x') + R"("})", "command"}, // too long to audit whole
             {"shell", R"({"command":"true","timeoutS":0})", "timeoutS"},
             {"shell", R"({"command":"true","timeoutS":601})", "timeoutS"},
             {"shell", R"({"command":"true","cwd":"relative"})", "cwd"},
             {"shell", R"({"command":"true","cwd":"/no/such/dir"})", "cwd"},
             {"agent-task", "{}", "prompt"},
             {"agent-task", R"({"prompt":"hi","mode":"yolo"})", "mode"},
             {"agent-task", R"({"prompt":"hi","taskId":5})", "taskId"},
             {"diagnostics", "[1]", "args"},
         }) {
        INFO(b.action << " " << b.args);
        auto r = operatorPost(d->port(), token, b.action, b.args);
        expect(r, 400, "bad-args");
        CHECK(wt::contains(str(parse(r.body), "message"), b.field));
    }
    auto notObject = wt::http(d->port(), "POST", "/api/support/actions/diagnostics",
                              {{"Authorization", "Bearer " + token}, {"Content-Type", "text/plain"}}, "hello");
    expect(notObject, 400, "bad-args");
    // Each refusal is audited too.
    CHECK(home.audit("format-disk").size() == 1);
    CHECK(home.audit("logs").size() == 3);
}

TEST_CASE("support daemon: logs refuses every path that is not a log", "[support_api][integration]") {
    Home home;
    home.allow(1, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    ::symlink((home / "secrets.json").c_str(), (home / "logs/planted.log").c_str());
    for (std::string channel : {"../secrets.json", "../secrets", "/etc/passwd", "../../../../etc/passwd", "",
                                "wildws.log", "planted", "logs/wildws", ".", ".."}) {
        INFO(channel);
        auto r = operatorPost(d->port(), token, "logs", R"({"channel":")" + channel + R"("})");
        expect(r, 400, "bad-args");
        CHECK(wt::contains(str(parse(r.body), "message"), "channel must be the name of an existing log"));
        CHECK_FALSE(wt::contains(r.body, "partnerToken"));
    }
}

TEST_CASE("support daemon: no secret value in diagnostics or logs", "[support_api][integration]") {
    Home home;
    home.allow(1, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    auto secrets = secretsOf(home, token);
    for (auto& v : secrets) REQUIRE(v.size() >= 20);
    // Plant every secret in a log, as error lines that diagnostics reports.
    std::string planted;
    for (auto& v : secrets) planted += "2030-01-01T00:00:00.000Z [error] [leaky] token=" + v + " end\n";
    wt::writeFile(home / "logs/leaky.log", planted);

    auto diag = operatorPost(d->port(), token, "diagnostics", "{}");
    REQUIRE(diag.status == 200);
    auto o = parse(diag.body);
    REQUIRE(o);
    CHECK(str(obj(o, "wildws"), "version") == "0.1.0");
    CHECK(wt::contains(diag.body, "\"name\":\"support_api\""));
    CHECK(flag(obj(obj(o, "processes"), "daemon"), "up"));
    CHECK_FALSE(flag(obj(obj(o, "processes"), "serve"), "up"));
    CHECK(num(obj(o, "consent"), "tier") == 1);
    CHECK(obj(o, "disk")->has("freeBytes"));
    CHECK(wt::contains(diag.body, "\"id\":\"claude\""));
    CHECK(wt::contains(diag.body, "token=[redacted] end"));

    auto logs = operatorPost(d->port(), token, "logs", R"({"channel":"leaky","lines":10})");
    REQUIRE(logs.status == 200);
    auto lines = arr(parse(logs.body), "lines");
    REQUIRE(lines);
    CHECK(lines->size() == 4);
    for (std::size_t i = 0; i < lines->size(); ++i) CHECK(wt::contains(lines->getElement<std::string>(i), "token=[redacted] end"));
    for (auto& v : secrets) {
        CHECK_FALSE(wt::contains(diag.body, v));
        CHECK_FALSE(wt::contains(logs.body, v));
    }
}

TEST_CASE("support daemon: agent-task goes through serve when it is up, and runs in the daemon when not",
          "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    {
        auto s = serve(home);
        auto r = operatorPost(d->port(), token, "agent-task", R"({"prompt":"lines 5 0","taskId":"relayed"})");
        REQUIRE(r.status == 200);
        auto lines = wt::lines(r.body);
        CHECK(lines.size() == 8); // start, 5 texts, usage, end
        CHECK(str(parse(lines.back()), "path") == "serve");
        // serve ran it: its owner sees the transcript and the recording.
        CHECK(wt::contains(ownerGet(*s, "/api/support/status").body, "line 4"));
        CHECK(str(arr(parse(ownerGet(*s, "/api/support/sessions").body), "sessions")->getObject(0), "id") == "relayed");
        // serve's refusals come back as they are.
        auto hang = openAgentTask(*s, R"({"prompt":"hang","taskId":"blocker"})");
        REQUIRE(hang->status() == 200);
        REQUIRE_FALSE(readUntil(*hang, "\"start\"").empty());
        expect(operatorPost(d->port(), token, "agent-task", R"({"prompt":"hi"})"), 409, "busy");
        ownerPost(*s, "/api/support/operate/cancel", "{}");
        readToEnd(*hang, 3s);

        auto diag = parse(operatorPost(d->port(), token, "diagnostics", "{}").body);
        CHECK(flag(obj(obj(diag, "processes"), "serve"), "up"));
        s->child().signal(SIGTERM);
        s->child().wait(10s);
    }
    // serve stopped: diagnostics still answers, and agent-task runs here.
    auto diag = operatorPost(d->port(), token, "diagnostics", "{}");
    REQUIRE(diag.status == 200);
    CHECK_FALSE(flag(obj(obj(parse(diag.body), "processes"), "serve"), "up"));
    auto r = operatorPost(d->port(), token, "agent-task", R"({"prompt":"lines 3 0","taskId":"fallback"})");
    REQUIRE(r.status == 200);
    auto end = parse(wt::lines(r.body).back());
    CHECK(str(end, "path") == "daemon");
    CHECK(str(end, "reason") == "completed");
    auto rec = wt::lines(wt::readFile(home / "support-sessions/fallback.jsonl"));
    CHECK(str(parse(rec[0]), "path") == "daemon");
    bool auditedDaemon = false;
    for (auto& e : home.audit("agent-task-start")) auditedDaemon = auditedDaemon || wt::contains(str(e, "detail"), "via daemon");
    CHECK(auditedDaemon);
}

TEST_CASE("support daemon: a relayed task stops on revoke and when the operator leaves", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    auto s = serve(home);
    auto pidsOf = [](wt::HttpStream& st) {
        auto line = readUntil(st, "pids ");
        REQUIRE_FALSE(line.empty());
        std::istringstream in(str(parse(line), "text").substr(5));
        int agent = 0, group = 0, child = 0;
        in >> agent >> group >> child;
        return std::make_pair(agent, child);
    };
    SECTION("revoke") {
        auto st = openAction(d->port(), token, "agent-task", R"({"prompt":"grandchild","taskId":"relay-revoke"})");
        REQUIRE(st->status() == 200);
        auto [agent, child] = pidsOf(*st);
        home.revoke();
        auto t = Clock::now();
        auto rest = readToEnd(*st, 5s);
        CHECK(Clock::now() - t < 1000ms);
        REQUIRE_FALSE(rest.empty());
        auto end = parse(rest.back());
        CHECK(str(end, "reason") == "revoked");
        CHECK(str(end, "path") == "serve");
        CHECK(waitGone(agent));
        CHECK(waitGone(child));
    }
    SECTION("the operator disconnects") {
        auto st = openAction(d->port(), token, "agent-task", R"({"prompt":"grandchild","taskId":"relay-gone"})");
        REQUIRE(st->status() == 200);
        auto [agent, child] = pidsOf(*st);
        st->close();
        CHECK(waitGone(agent));
        CHECK(waitGone(child));
        for (int i = 0; i < 100 && home.audit("agent-task-end").empty(); ++i) std::this_thread::sleep_for(20ms);
        auto stops = home.audit("agent-task-stop");
        REQUIRE(stops.size() == 1);
        CHECK(wt::contains(str(stops[0], "detail"), "went away"));
    }
}

TEST_CASE("support daemon: a task run in the daemon stops on revoke too", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    auto st = openAction(d->port(), token, "agent-task", R"({"prompt":"grandchild","taskId":"daemon-revoke"})");
    REQUIRE(st->status() == 200);
    auto line = readUntil(*st, "pids ");
    REQUIRE_FALSE(line.empty());
    std::istringstream in(str(parse(line), "text").substr(5));
    int agent = 0, group = 0, child = 0;
    in >> agent >> group >> child;
    home.revoke();
    auto t = Clock::now();
    auto rest = readToEnd(*st, 5s);
    CHECK(Clock::now() - t < 1000ms);
    REQUIRE_FALSE(rest.empty());
    CHECK(str(parse(rest.back()), "reason") == "revoked");
    CHECK(str(parse(rest.back()), "path") == "daemon");
    CHECK(waitGone(agent));
    CHECK(waitGone(child));
}
