// A running support task is stopped within 1 s whichever way the grant ends
// (CLI revoke, the page's revoke, expiry, a hand-edited file), when the owner
// presses Stop, or when the client goes away - and the agent's whole group,
// grandchild included, goes with it. The audit and the recording say so.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <thread>

using namespace st;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Pids {
    int agent = 0, group = 0, grandchild = 0;
};

/// Starts the fake agent's "grandchild" scenario and reads its pids.
Pids startGrandchild(wt::HttpStream& stream) {
    REQUIRE(stream.status() == 200);
    auto line = readUntil(stream, "pids ");
    REQUIRE_FALSE(line.empty());
    std::istringstream in(str(parse(line), "text").substr(5));
    Pids p;
    in >> p.agent >> p.group >> p.grandchild;
    REQUIRE(p.agent > 0);
    CHECK(p.group == p.agent); // the agent leads a group of its own
    CHECK_FALSE(gone(p.agent));
    CHECK_FALSE(gone(p.grandchild));
    return p;
}

/// Reads the rest of the stream; checks it ended within `limit` of `since`
/// with an error line containing `why` and an end line with `reason`.
void expectStopped(wt::HttpStream& stream, Clock::time_point since, const std::string& why, const std::string& reason,
                   std::chrono::milliseconds limit = 1000ms) {
    auto rest = readToEnd(stream, 5s);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
    INFO("ended " << elapsed.count() << " ms after the trigger");
    CHECK(elapsed < limit);
    REQUIRE(rest.size() >= 2);
    auto end = parse(rest.back());
    CHECK(str(end, "type") == "end");
    CHECK(str(end, "reason") == reason);
    bool sawWhy = false;
    for (auto& l : rest) sawWhy = sawWhy || (str(parse(l), "type") == "error" && wt::contains(l, why));
    CHECK(sawWhy);
}

void expectGroupGone(const Pids& p) {
    CHECK(waitGone(p.agent));
    CHECK(waitGone(p.grandchild));
}

void expectAudited(const Home& home, const std::string& why, const std::string& actor) {
    auto stops = home.audit("agent-task-stop");
    REQUIRE(stops.size() == 1);
    CHECK(wt::contains(str(stops[0], "detail"), why));
    CHECK(str(stops[0], "actor") == actor);
    auto ends = home.audit("agent-task-end");
    REQUIRE(ends.size() == 1);
    CHECK_FALSE(ends[0]->getValue<bool>("ok"));
}

void expectRecorded(const Home& home, const std::string& id, const std::string& reason) {
    auto rec = wt::lines(wt::readFile(home / ("support-sessions/" + id + ".jsonl")));
    REQUIRE(rec.size() >= 3);
    CHECK(wt::contains(wt::readFile(home / ("support-sessions/" + id + ".jsonl")), "\"type\":\"error\""));
    CHECK(str(parse(rec.back()), "reason") == reason);
}

} // namespace

TEST_CASE("support stop: wildws support revoke in another process", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"grandchild","taskId":"cli-revoke"})");
    auto pids = startGrandchild(*stream);
    home.revoke();
    auto revoked = Clock::now();
    expectStopped(*stream, revoked, "the owner revoked support access", "revoked");
    expectGroupGone(pids);
    expectAudited(home, "revoked", "wildws");
    expectRecorded(home, "cli-revoke", "revoked");
}

TEST_CASE("support stop: a grant that expires mid-task", "[support_api][integration]") {
    Home home;
    home.writeGrant(3, 2000);
    auto expiresAt = Clock::now() + 2000ms;
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"grandchild","taskId":"expiry"})");
    auto pids = startGrandchild(*stream);
    expectStopped(*stream, expiresAt, "expired", "expired");
    expectGroupGone(pids);
    expectAudited(home, "expired", "wildws");
    expectRecorded(home, "expiry", "expired");
}

TEST_CASE("support stop: a hand-edited consent file", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"grandchild","taskId":"edited"})");
    auto pids = startGrandchild(*stream);
    wt::writeFile(home / "support-consent.json", "{\"version\":1,\"tier\":9}\n");
    expectStopped(*stream, Clock::now(), "no longer valid", "grant-invalid");
    expectGroupGone(pids);
}

TEST_CASE("support stop: the owner's Stop and the page's revoke", "[support_api][integration]") {
    SECTION("operate/cancel") {
        Home home;
        home.allow(3, 10);
        auto s = serve(home);
        auto stream = openAgentTask(*s, R"({"prompt":"grandchild","taskId":"owner-stop"})");
        auto pids = startGrandchild(*stream);
        // While it runs the owner sees it operating, with its lines.
        auto status = parse(ownerGet(*s, "/api/support/status").body);
        auto operate = obj(status, "operate");
        REQUIRE(operate);
        CHECK(flag(operate, "active"));
        CHECK(str(operate, "taskId") == "owner-stop");
        CHECK(wt::contains(ownerGet(*s, "/api/support/status").body, "pids "));
        auto t = Clock::now();
        CHECK(flag(parse(ownerPost(*s, "/api/support/operate/cancel", "{}").body), "cancelled"));
        expectStopped(*stream, t, "the owner stopped the task", "stopped-by-owner");
        expectGroupGone(pids);
        expectAudited(home, "stopped", "owner");
        expectRecorded(home, "owner-stop", "stopped-by-owner");
        // The transcript lingers, no longer active.
        auto after = obj(parse(ownerGet(*s, "/api/support/status").body), "operate");
        REQUIRE(after);
        CHECK_FALSE(flag(after, "active"));
        CHECK(wt::contains(ownerGet(*s, "/api/support/status").body, "the owner stopped the task"));
    }
    SECTION("the page's revoke") {
        Home home;
        home.allow(3, 10);
        auto s = serve(home);
        auto stream = openAgentTask(*s, R"({"prompt":"grandchild","taskId":"page-revoke"})");
        auto pids = startGrandchild(*stream);
        auto t = Clock::now();
        CHECK(flag(parse(ownerPost(*s, "/api/support/revoke", "{}").body), "revoked"));
        expectStopped(*stream, t, "the owner revoked support access", "revoked");
        expectGroupGone(pids);
        expectAudited(home, "revoked", "owner");
    }
}

TEST_CASE("support stop: the client going away", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    auto stream = openAgentTask(*s, R"({"prompt":"grandchild","taskId":"gone"})");
    auto pids = startGrandchild(*stream);
    stream->close();
    expectGroupGone(pids);
    // The audit and the recording are written just after the group goes.
    for (int i = 0; i < 100 && home.audit("agent-task-end").empty(); ++i) std::this_thread::sleep_for(20ms);
    expectAudited(home, "went away", "operator");
    expectRecorded(home, "gone", "client-gone");
}
