// A support agent-task whose agent asks before using a tool: the owner sees
// the prompt in GET /api/support/status (operate.pending) and answers it with
// POST /api/support/operate/permissions/:requestId; unanswered it is denied
// after approval_seconds; at tier 4 the grant is the approval. Every decision
// is audited (agent-permission). The agent is the agent plugin's live
// fake-claude.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#ifdef LIVE_FAKE_CLAUDE

using namespace st;
using namespace std::chrono_literals;

namespace {

std::string liveIni(const std::string& support = "") {
    return std::string("claude_path = ") + LIVE_FAKE_CLAUDE + "\ndefault_agent = claude\n" +
           (support.empty() ? "" : "[plugin.support_api]\n" + support + "\n[plugin.agent]\n");
}

Poco::JSON::Array::Ptr pending(const wt::Server& s) {
    auto status = ownerGet(s, "/api/support/status");
    REQUIRE(status.status == 200);
    auto operate = obj(parse(status.body), "operate");
    REQUIRE(operate);
    return arr(operate, "pending");
}

void checkError(const wt::HttpResult& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    if (r.status == status) CHECK(str(parse(r.body), "error") == code);
}

/// The rest of a task whose `npm test` prompt the owner allowed once: the
/// stream says so and runs it to completion, one audit entry says who; its
/// end line is returned.
Poco::JSON::Object::Ptr checkAllowedOnceByOwner(Home& home, wt::HttpStream& stream, const std::string& task) {
    std::vector<std::string> rest = readToEnd(stream);
    bool resolved = false, ran = false;
    for (auto& l : rest) {
        resolved = resolved || (wt::contains(l, "\"type\":\"permission-resolved\"") && wt::contains(l, "\"by\":\"owner\""));
        ran = ran || wt::contains(l, "ran: npm test");
    }
    CHECK(resolved);
    CHECK(ran);
    REQUIRE_FALSE(rest.empty());
    auto end = parse(rest.back());
    CHECK(str(end, "reason") == "completed");
    auto audits = home.audit("agent-permission");
    REQUIRE(audits.size() == 1);
    CHECK(wt::contains(str(audits[0], "detail"), "task '" + task + "' tool=Bash decision=allow scope=once by=owner"));
    CHECK(str(audits[0], "actor") == "owner");
    return end;
}

} // namespace

TEST_CASE("support task prompt: shown in operate.pending, answered by the owner, audited", "[support_api][integration][prompts]") {
    Home home(liveIni());
    home.allow(3, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"ask npm test","taskId":"fix-tests"})");
    REQUIRE(stream->status() == 200);
    auto line = readUntil(*stream, "\"type\":\"permission\"");
    REQUIRE_FALSE(line.empty());
    std::string rid = str(parse(line), "requestId");

    auto list = pending(*s);
    REQUIRE(list->size() == 1);
    auto p = list->getObject(0);
    CHECK(str(p, "requestId") == rid);
    CHECK(str(p, "kind") == "permission");
    CHECK(str(p, "tool") == "Bash");
    CHECK(str(p, "title") == "Claude wants to run npm test");
    CHECK(str(p, "taskId") == "fix-tests");
    CHECK(str(obj(p, "input"), "command") == "npm test");
    CHECK(timeOf(p, "deadline") > timeOf(p, "askedAt"));

    const std::string route = "/api/support/operate/permissions/";
    checkError(ownerPost(*s, route + rid, "nope"), 400, "bad-json");
    checkError(ownerPost(*s, route + rid, R"({"decision":"perhaps"})"), 400, "bad-decision");
    checkError(ownerPost(*s, route + "no-such", R"({"decision":"allow"})"), 404, "unknown-request");
    auto ok = ownerPost(*s, route + rid, R"({"decision":"allow"})");
    REQUIRE(ok.status == 200);
    CHECK(str(parse(ok.body), "decision") == "allow");
    CHECK(str(parse(ok.body), "scope") == "once");
    checkError(ownerPost(*s, route + rid, R"({"decision":"deny"})"), 409, "already-answered");

    checkAllowedOnceByOwner(home, *stream, "fix-tests");
}

TEST_CASE("support task prompt: unanswered for approval_seconds, denied with a message saying so", "[support_api][integration][prompts]") {
    Home home(liveIni("approval_seconds = 1"));
    home.allow(3, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"ask make deploy","taskId":"slow-owner"})");
    REQUIRE(stream->status() == 200);
    auto rest = readToEnd(*stream, 20s);
    bool timedOut = false;
    for (auto& l : rest)
        timedOut = timedOut || (wt::contains(l, "\"type\":\"permission-resolved\"") && wt::contains(l, "\"by\":\"timeout\"") &&
                                wt::contains(l, "the owner did not answer within 1 s ([plugin.support_api] approval_seconds), so it was denied"));
    CHECK(timedOut);
    auto audits = home.audit("agent-permission");
    REQUIRE(audits.size() == 1);
    CHECK(wt::contains(str(audits[0], "detail"), "tool=Bash decision=deny scope=once by=timeout"));
}

TEST_CASE("support task prompt: at tier 4 the grant is the approval", "[support_api][integration][prompts]") {
    Home home(liveIni());
    home.allow(4, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"ask npm test","taskId":"trusted"})");
    REQUIRE(stream->status() == 200);
    auto rest = readToEnd(*stream);
    bool byGrant = false, ran = false;
    for (auto& l : rest) {
        byGrant = byGrant || (wt::contains(l, "\"type\":\"permission-resolved\"") && wt::contains(l, "\"by\":\"grant\""));
        ran = ran || wt::contains(l, "ran: npm test");
    }
    CHECK(byGrant);
    CHECK(ran);
    auto audits = home.audit("agent-permission");
    REQUIRE(audits.size() == 1);
    CHECK(wt::contains(str(audits[0], "detail"), "decision=allow scope=once by=grant"));
}

TEST_CASE("support task prompt in the daemon (serve down): the engineer is told, the owner answers with wildws support answer", "[support_api][integration][prompts]") {
    Home home(liveIni());
    home.allow(3, 10);
    const std::string token = home.operatorToken();
    auto d = daemon(home);
    auto stream = openAction(d->port(), token, "agent-task", R"({"prompt":"ask npm test","taskId":"offline-fix"})");
    REQUIRE(stream->status() == 200);
    auto line = readUntil(*stream, "\"type\":\"permission\"");
    REQUIRE_FALSE(line.empty());
    std::string rid = str(parse(line), "requestId");
    auto note = readUntil(*stream, "\"type\":\"stderr\"");
    CHECK(str(parse(note), "text") == "wildws: the owner's page (wildws serve) is not running, so the owner answers in a "
                                      "terminal: wildws support answer " + rid + " allow|deny (denied after 120 s unanswered)");

    // The daemon's status, with the owner's credentials.
    auto list = pending(*d);
    REQUIRE(list->size() == 1);
    CHECK(str(list->getObject(0), "requestId") == rid);
    CHECK(ownerGet(*d, "/api/support/audit").status == 404); // only what a daemon-run task needs

    auto listed = home.cli({"support", "answer"});
    INFO(listed.out << listed.err);
    CHECK(listed.code == 0);
    CHECK(wt::contains(listed.out, rid + "  Claude wants to run npm test (task 'offline-fix', run by daemon)\n"));
    CHECK(wt::contains(listed.out, "answer with: wildws support answer REQUEST_ID allow|deny"));
    auto listedJson = home.cli({"support", "answer", "--json"});
    CHECK(str(arr(parse(listedJson.out), "pending")->getObject(0), "path") == "daemon");

    auto bad = home.cli({"support", "answer", rid, "maybe"});
    CHECK(bad.code == 2);
    CHECK(wt::contains(bad.err, "wildws: support answer: the decision is allow or deny (got 'maybe')"));
    auto unknown = home.cli({"support", "answer", "nope", "allow"});
    CHECK(unknown.code == 1);
    CHECK(wt::contains(unknown.err, "wildws: support answer: no support-task prompt 'nope' is waiting (serve: no "
                                    "server.pid (not running); daemon: nothing waits); list them with 'wildws support answer'"));

    auto ok = home.cli({"support", "answer", rid, "allow"});
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK(ok.out == "allowed Bash for task 'offline-fix' once (run by daemon)\n");
    auto end = checkAllowedOnceByOwner(home, *stream, "offline-fix");
    CHECK(str(end, "path") == "daemon");

    // The status says how the prompt that left was decided.
    auto operate = obj(parse(ownerGet(*d, "/api/support/status").body), "operate");
    REQUIRE(operate);
    auto resolvedList = arr(operate, "resolved");
    REQUIRE(resolvedList->size() == 1);
    auto r = resolvedList->getObject(0);
    CHECK(str(r, "requestId") == rid);
    CHECK(str(r, "decision") == "allow");
    CHECK(str(r, "scope") == "once");
    CHECK(str(r, "by") == "owner");
    CHECK(timeOf(r, "at") > 0); // ISO 8601 UTC with ms
    CHECK(timeOf(r, "at") <= nowMs());
    CHECK(arr(operate, "pending")->size() == 0);
    CHECK(home.cli({"support", "answer", rid, "deny"}).code == 1); // nothing waits any more
}

TEST_CASE("support task prompt: operate.resolved says a timed-out prompt was denied by timeout", "[support_api][integration][prompts]") {
    Home home(liveIni("approval_seconds = 1"));
    home.allow(3, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"ask make deploy","taskId":"resolved-list"})");
    REQUIRE(stream->status() == 200);
    readToEnd(*stream, 20s);
    auto operate = obj(parse(ownerGet(*s, "/api/support/status").body), "operate");
    REQUIRE(operate);
    auto list = arr(operate, "resolved");
    REQUIRE(list->size() == 1);
    CHECK(str(list->getObject(0), "decision") == "deny");
    CHECK(str(list->getObject(0), "by") == "timeout");
}

TEST_CASE("support answer with nothing running: says so, and touches no secrets", "[support_api][integration][prompts]") {
    Home home(liveIni());
    auto r = home.cli({"support", "answer"});
    CHECK(r.code == 0);
    CHECK(r.out == "no support-task prompt is waiting (serve: no server.pid (not running); daemon: no daemon.pid (not "
                   "running))\n");
    CHECK_FALSE(std::filesystem::exists(home / "secrets.json"));
    auto json = home.cli({"support", "answer", "--json"});
    CHECK(json.out == "{\"pending\":[]}\n");
    auto none = home.cli({"support", "answer", "r1", "deny", "--json"});
    CHECK(none.code == 1);
    CHECK(str(parse(none.out), "error") == "unknown-request");
    CHECK(home.cli({"support", "answer", "r1"}).code == 2);
}

#endif
