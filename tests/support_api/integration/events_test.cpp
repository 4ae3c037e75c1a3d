// What the page's banner hears on GET /api/events: a grant made in another
// process reaches it within 1 s, and so do revokes, audit entries and the
// lines of a support task.
#include "harness.hpp"

#include <catch2/catch.hpp>

using namespace st;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<wt::HttpStream> events(const wt::Server& s) {
    auto st = std::make_unique<wt::HttpStream>(
        s.port(), wt::rawRequest(s.port(), "GET", "/api/events", {{"Authorization", s.bearer()}}));
    REQUIRE(st->status() == 200);
    return st;
}

/// The next event of `type` as JSON (its "data: " line), or null.
Json nextEvent(wt::HttpStream& st, const std::string& type, std::chrono::milliseconds limit = 2000ms) {
    auto line = readUntil(st, "\"type\":\"" + type + "\"", nullptr, limit);
    if (line.rfind("data: ", 0) != 0) return nullptr;
    return parse(line.substr(6));
}

} // namespace

TEST_CASE("support events: a CLI grant and revoke reach the page within 1 s", "[support_api][integration]") {
    Home home;
    auto s = serve(home);
    auto st = events(*s);
    home.allow(3, 10);
    auto granted = Clock::now();
    auto on = nextEvent(*st, "support-status");
    CHECK(Clock::now() - granted < 1000ms);
    REQUIRE(on);
    CHECK(flag(on, "enabled"));
    CHECK(num(on, "tier") == 3);
    CHECK(num(on, "remainingMs") > 0);
    CHECK(on->has("operate"));

    home.revoke();
    auto revoked = Clock::now();
    auto off = nextEvent(*st, "support-status");
    CHECK(Clock::now() - revoked < 1000ms);
    REQUIRE(off);
    CHECK_FALSE(flag(off, "enabled"));
    auto gone = nextEvent(*st, "support-revoked");
    REQUIRE(gone);
    CHECK(flag(gone, "revoked"));
}

TEST_CASE("support events: audit entries, operate lines and the page's revoke", "[support_api][integration]") {
    Home home;
    home.allow(3, 10);
    auto s = serve(home);
    auto st = events(*s);
    // Lines that come one at a time are published one at a time...
    REQUIRE(supportPost(*s, R"({"prompt":"lines 2 150","taskId":"evented"})").status == 200);
    auto started = nextEvent(*st, "support-operate");
    REQUIRE(started);
    CHECK(flag(obj(started, "operate"), "active"));
    auto line = nextEvent(*st, "support-operate");
    REQUIRE(line);
    CHECK(str(obj(line, "line"), "text") == "line 0");
    CHECK(str(line, "taskId") == "evented");
    CHECK(str(obj(nextEvent(*st, "support-operate"), "line"), "text") == "line 1");
    auto ended = nextEvent(*st, "support-operate");
    REQUIRE(ended);
    CHECK_FALSE(flag(obj(ended, "operate"), "active"));
    // ... and a burst as one event carrying the whole state.
    REQUIRE(supportPost(*s, R"({"prompt":"tool","taskId":"burst"})").status == 200);
    REQUIRE(nextEvent(*st, "support-operate")); // started
    auto burst = nextEvent(*st, "support-operate");
    REQUIRE(burst);
    CHECK(wt::contains(Poco::Dynamic::Var(burst).toString(), "\xE2\x9A\x99 Bash"));
    auto audit = nextEvent(*st, "support-audit", 1500ms);
    REQUIRE(audit);
    auto entries = arr(audit, "entries");
    REQUIRE(entries);
    REQUIRE(entries->size() >= 1);
    CHECK(wt::contains(str(entries->getObject(0), "action"), "agent-task"));

    ownerPost(*s, "/api/support/revoke", "{}");
    auto revoked = nextEvent(*st, "support-revoked");
    REQUIRE(revoked);
    CHECK(str(revoked, "actor") == "owner");
}
