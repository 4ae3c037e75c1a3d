// serve's owner routes: status, audit, allow (the CLI's rules), revoke,
// cancel with nothing running, recorded sessions.
#include "harness.hpp"

#include <catch2/catch.hpp>

using namespace st;

TEST_CASE("support status: the seed's fields, off by default, on after a CLI grant", "[support_api][integration]") {
    Home home;
    auto s = serve(home);
    auto r = ownerGet(*s, "/api/support/status");
    REQUIRE(r.status == 200);
    auto o = parse(r.body);
    REQUIRE(o);
    for (auto key : {"enabled", "tier", "expiresAt", "remainingMs", "active", "operate", "lastAction"})
        CHECK(o->has(key));
    CHECK_FALSE(flag(o, "enabled"));
    CHECK(o->isNull("operate"));
    CHECK(o->isNull("lastAction"));
    CHECK(o->isNull("expiresAt"));
    CHECK_FALSE(flag(o, "active"));

    home.allow(2, 10);
    o = parse(ownerGet(*s, "/api/support/status").body);
    CHECK(flag(o, "enabled"));
    CHECK(num(o, "tier") == 2);
    CHECK(num(o, "remainingMs") > 9 * 60000);
    CHECK(num(o, "expiresAt") > nowMs());
    CHECK(flag(o, "active")); // the grant is an audit entry younger than 120 s
    CHECK(str(obj(o, "lastAction"), "action") == "grant");
    CHECK(flag(obj(o, "lastAction"), "ok"));
    CHECK(wt::contains(str(o, "allows"), "curated fixes"));

    // Owner gate: no credentials, no status.
    CHECK(wt::http(s->port(), "GET", "/api/support/status").status == 401);
}

TEST_CASE("support audit: newest first, limit clamped to 1..200, default 50", "[support_api][integration]") {
    Home home;
    for (int i = 0; i < 3; ++i) home.allow(1, 1 + i);
    home.revoke();
    auto s = serve(home);
    auto o = parse(ownerGet(*s, "/api/support/audit").body);
    auto a = arr(o, "audit");
    REQUIRE(a);
    REQUIRE(a->size() == 4);
    CHECK(str(a->getObject(0), "action") == "revoke");
    CHECK(str(a->getObject(3), "action") == "grant");
    CHECK(arr(parse(ownerGet(*s, "/api/support/audit?limit=2").body), "audit")->size() == 2);
    CHECK(arr(parse(ownerGet(*s, "/api/support/audit?limit=0").body), "audit")->size() == 4);
    CHECK(arr(parse(ownerGet(*s, "/api/support/audit?limit=-4").body), "audit")->size() == 1);
    CHECK(arr(parse(ownerGet(*s, "/api/support/audit?limit=junk").body), "audit")->size() == 4);
}

TEST_CASE("support allow: the page's grant follows the CLI's rules exactly", "[support_api][integration]") {
    struct Case {
        std::string body;                 // POST /api/support/allow
        std::vector<std::string> cliArgs; // the same ask on the command line
        int status;                       // the route's answer
        std::string code;                 // its error code ("" when granted)
        int cliExit;
    };
    const std::vector<Case> cases = {
        {"{}", {}, 200, "", 0},
        {R"({"tier":2,"minutes":30})", {"--tier", "2", "--minutes", "30"}, 200, "", 0},
        {R"({"tier":0})", {"--tier", "0"}, 400, "bad-tier", 2},
        {R"({"tier":5})", {"--tier", "5"}, 400, "bad-tier", 2},
        {R"({"tier":"x"})", {"--tier", "x"}, 400, "bad-tier", 2},
        {R"({"tier":"3"})", {"--tier", "3"}, 400, "confirm-required", 2},
        {R"({"minutes":0})", {"--minutes", "0"}, 400, "bad-minutes", 2},
        {R"({"minutes":"1.5"})", {"--minutes", "1.5"}, 400, "bad-minutes", 2},
        {R"({"tier":3,"minutes":5})", {"--tier", "3", "--minutes", "5"}, 400, "confirm-required", 2},
        {R"({"tier":4,"minutes":5,"confirm":false})", {"--tier", "4", "--minutes", "5"}, 400, "confirm-required", 2},
        {R"({"tier":3,"minutes":5,"confirm":true})", {"--tier", "3", "--minutes", "5", "--yes"}, 200, "", 0},
        {R"({"tier":4,"minutes":5,"confirm":true,"reason":"ticket 42"})",
         {"--tier", "4", "--minutes", "5", "--yes", "--reason", "ticket 42"}, 200, "", 0},
        {R"({"tier":1,"reason":"two\nlines"})", {"--tier", "1", "--reason", "two\nlines"}, 400, "bad-reason", 2},
        {R"({"tier":1,"minutes":100000})", {"--tier", "1", "--minutes", "100000"}, 200, "", 0},
    };
    Home home;
    auto s = serve(home);
    Home cliHome;
    for (auto& c : cases) {
        INFO(c.body);
        auto r = ownerPost(*s, "/api/support/allow", c.body);
        CHECK(r.status == c.status);
        auto o = parse(r.body);
        auto cli = cliHome.cli([&] {
            std::vector<std::string> a{"support", "allow"};
            a.insert(a.end(), c.cliArgs.begin(), c.cliArgs.end());
            return a;
        }());
        CHECK(cli.code == c.cliExit);
        if (c.code.empty()) {
            CHECK(flag(o, "ok"));
            auto status = parse(ownerGet(*s, "/api/support/status").body);
            CHECK(flag(status, "enabled"));
            CHECK(num(status, "tier") == num(o, "tier"));
            CHECK(home.audit().back()->getValue<std::string>("actor") == "owner");
        } else {
            CHECK(str(o, "error") == c.code);
            if (c.code != "confirm-required") {
                // Word for word what the CLI prints.
                CHECK(str(o, "message") + "\n" == cli.err);
            } else {
                CHECK(wt::contains(str(o, "message"), "lets wildws support"));
                CHECK(wt::contains(str(o, "message"), str(o, "allows")));
                CHECK(wt::contains(cli.err, "Re-run with --yes"));
            }
        }
    }
    // The cap: asked for 100000 minutes, got the maximum.
    auto capped = parse(ownerPost(*s, "/api/support/allow", R"({"minutes":100000})").body);
    CHECK(flag(capped, "capped"));
    CHECK(num(capped, "expiresAt") - num(capped, "grantedAt") == num(capped, "maxMinutes") * 60000);
    // A cookie-less caller without the bearer cannot grant.
    CHECK(wt::http(s->port(), "POST", "/api/support/allow", {{"Content-Type", "application/json"}}, "{}").status == 401);
}

TEST_CASE("support revoke and cancel: answers, audit, nothing running", "[support_api][integration]") {
    Home home;
    home.allow(1);
    auto s = serve(home);
    auto r = parse(ownerPost(*s, "/api/support/revoke", "{}").body);
    CHECK(flag(r, "revoked"));
    CHECK_FALSE(flag(parse(ownerGet(*s, "/api/support/status").body), "enabled"));
    auto again = parse(ownerPost(*s, "/api/support/revoke", "{}").body);
    REQUIRE(again);
    CHECK_FALSE(flag(again, "revoked"));
    auto revokes = home.audit("revoke");
    REQUIRE(revokes.size() == 2);
    CHECK(str(revokes[0], "actor") == "owner");
    CHECK(wt::contains(str(revokes[0], "detail"), "from the page"));

    auto c = parse(ownerPost(*s, "/api/support/operate/cancel", "{}").body);
    REQUIRE(c);
    CHECK_FALSE(flag(c, "cancelled"));
}

TEST_CASE("support sessions: listed, replayed, unknown ids are 404", "[support_api][integration]") {
    Home home;
    home.allow(3);
    auto s = serve(home);
    REQUIRE(supportPost(*s, R"({"prompt":"tool","taskId":"first"})").status == 200);
    REQUIRE(supportPost(*s, R"({"prompt":"lines 3 0","taskId":"first"})").status == 200);
    auto list = arr(parse(ownerGet(*s, "/api/support/sessions").body), "sessions");
    REQUIRE(list);
    REQUIRE(list->size() == 2);
    auto newest = list->getObject(0);
    CHECK(str(newest, "id") == "first-2");
    CHECK(str(newest, "taskId") == "first");
    CHECK(str(newest, "endReason") == "completed");
    CHECK(num(newest, "chunks") == 6); // start, 3 texts, usage, end
    CHECK(num(newest, "endedAt") >= num(newest, "startedAt"));
    auto replay = parse(ownerGet(*s, "/api/support/sessions/first").body);
    REQUIRE(replay);
    CHECK(str(obj(replay, "header"), "prompt") == "tool");
    auto chunks = arr(replay, "chunks");
    REQUIRE(chunks);
    CHECK(str(chunks->getObject(1), "type") == "tool-use");
    CHECK(str(chunks->getObject(chunks->size() - 1), "type") == "end");
    for (auto bad : {"nope", "..%2F..%2Fsecrets", ".task.lock", "first.jsonl"}) {
        INFO(bad);
        auto r = ownerGet(*s, std::string("/api/support/sessions/") + bad);
        CHECK(r.status == 404);
    }
}
