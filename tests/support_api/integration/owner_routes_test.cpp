// serve's owner routes: status, audit, allow (the CLI's rules), revoke,
// cancel with nothing running, recorded sessions.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <tuple>

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
    CHECK(timeOf(o, "expiresAt") > nowMs());
    // ISO 8601 UTC with ms in the body, the grant file's ms instants exactly.
    auto grant = parse(wt::readFile(home / "support-consent.json"));
    CHECK(timeOf(o, "grantedAt") == num(grant, "grantedAt"));
    CHECK(timeOf(o, "expiresAt") == num(grant, "expiresAt"));
    CHECK(timeOf(obj(o, "lastAction"), "ts") == num(home.audit("grant").back(), "ts"));
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
    CHECK(timeOf(a->getObject(0), "ts") == num(home.audit("revoke").back(), "ts")); // the file's ms, as ISO
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
        {R"({"tier":3.5})", {"--tier", "3.5"}, 400, "bad-tier", 2},
        {R"({"minutes":0})", {"--minutes", "0"}, 400, "bad-minutes", 2},
        {R"({"minutes":1.5})", {"--minutes", "1.5"}, 400, "bad-minutes", 2},
        {R"({"tier":3,"minutes":5})", {"--tier", "3", "--minutes", "5"}, 400, "confirm-required", 2},
        {R"({"tier":4,"minutes":5,"confirm":false})", {"--tier", "4", "--minutes", "5"}, 400, "confirm-required", 2},
        {R"({"tier":3,"minutes":5,"confirm":true})", {"--tier", "3", "--minutes", "5", "--yes"}, 200, "", 0},
        {R"({"tier":4,"minutes":5,"confirm":true,"reason":"ticket 42"})",
         {"--tier", "4", "--minutes", "5", "--yes", "--reason", "ticket 42"}, 200, "", 0},
        {R"({"tier":1,"reason":"two\nlines"})", {"--tier", "1", "--reason", "two\nlines"}, 400, "bad-reason", 2},
        // A bidi override would reorder the reason the owner reads: refused.
        {R"({"tier":1,"reason":"see \u202Etxt.exe"})", {"--tier", "1", "--reason", "see \xE2\x80\xAEtxt.exe"}, 400,
         "bad-reason", 2},
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
                CHECK("wildws: support allow: " + str(o, "message") + "\n" == cli.err);
            } else {
                CHECK(wt::contains(str(o, "message"), "lets wildws support"));
                CHECK(wt::contains(str(o, "message"), str(o, "allows")));
                CHECK(wt::contains(cli.err, "Re-run with --yes"));
            }
        }
    }
    // A field of the wrong JSON type is a 400 naming the field (the CLI has no types), and grants nothing.
    for (auto [body, code, message] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {R"({"tier":"3","confirm":true})", "bad-tier", "tier must be a JSON number from 1 to 4 (got a string)"},
             {R"({"minutes":"90"})", "bad-minutes", "minutes must be a JSON number (whole minutes) (got a string)"},
             {R"({"reason":7})", "bad-reason", "reason must be a string (got a number)"},
             {R"({"confirm":"true","tier":3})", "bad-confirm", "confirm must be true or false (got a string)"},
         }) {
        INFO(body);
        ownerPost(*s, "/api/support/revoke", "{}");
        auto r = ownerPost(*s, "/api/support/allow", body);
        CHECK(r.status == 400);
        auto o = parse(r.body);
        CHECK(str(o, "error") == code);
        CHECK(str(o, "message") == message);
        CHECK_FALSE(flag(parse(ownerGet(*s, "/api/support/status").body), "enabled"));
    }
    // A huge number saturates and is capped, as --minutes 99999999999999999999999 is (the page
    // sends such a number as 1e+23).
    auto huge = ownerPost(*s, "/api/support/allow", R"({"minutes":1e+23})");
    CHECK(huge.status == 200);
    CHECK(flag(parse(huge.body), "capped"));
    // The cap: asked for 100000 minutes, got the maximum.
    auto capped = parse(ownerPost(*s, "/api/support/allow", R"({"minutes":100000})").body);
    CHECK(flag(capped, "capped"));
    CHECK(timeOf(capped, "expiresAt") - timeOf(capped, "grantedAt") == num(capped, "maxMinutes") * 60000);
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
    CHECK(timeOf(newest, "startedAt") > 0);
    CHECK(timeOf(newest, "endedAt") >= timeOf(newest, "startedAt"));
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

TEST_CASE("support shapes: the CLI's --json and the routes say the same thing the same way", "[support_api][integration]") {
    auto text = [](const Poco::Dynamic::Var& v) { return v.isEmpty() ? std::string("null") : v.toString(); };
    Home home;
    auto s = serve(home);
    // Off: the grant fields of the status have the shape of `support status --json`.
    auto offCli = parse(home.cli({"support", "status", "--json"}).out);
    auto offHttp = parse(ownerGet(*s, "/api/support/status").body);
    for (auto key : {"enabled", "tier", "grantedAt", "expiresAt", "remainingMs", "allows", "reason", "offReason",
                     "operatorEnabled"}) {
        INFO(key);
        REQUIRE(offCli->has(key));
        REQUIRE(offHttp->has(key));
        CHECK(text(offCli->get(key)) == text(offHttp->get(key)));
        CHECK(offCli->get(key).isEmpty() == offHttp->get(key).isEmpty()); // null is null in both
    }
    CHECK(offHttp->get("expiresAt").isEmpty());

    // allow --json answers what POST /api/support/allow answers.
    auto allowed = home.cli({"support", "allow", "--tier", "2", "--minutes", "30", "--json"});
    REQUIRE(allowed.code == 0);
    auto cliAllow = parse(allowed.out);
    auto httpAllow = parse(ownerPost(*s, "/api/support/allow", R"({"tier":2,"minutes":30})").body);
    for (auto& key : httpAllow->getNames()) {
        INFO(key);
        CHECK(cliAllow->has(key));
    }
    CHECK(timeOf(cliAllow, "expiresAt") - timeOf(cliAllow, "grantedAt") == 30 * 60000);
    auto onCli = parse(home.cli({"support", "status", "--json"}).out);
    auto onHttp = parse(ownerGet(*s, "/api/support/status").body);
    for (auto key : {"enabled", "tier", "grantedAt", "expiresAt", "allows", "operatorEnabled"}) {
        INFO(key);
        CHECK(text(onCli->get(key)) == text(onHttp->get(key)));
    }
    CHECK_FALSE(flag(onHttp, "operatorEnabled"));
    home.operatorToken();
    CHECK(flag(parse(ownerGet(*s, "/api/support/status").body), "operatorEnabled"));

    // The audit: one key ("audit", the seed's), the same entries, the same counts.
    auto cliAudit = parse(home.cli({"support", "audit", "--json", "--limit", "50"}).out);
    auto httpAudit = parse(ownerGet(*s, "/api/support/audit?limit=50").body);
    for (auto key : {"skipped", "unverified", "tornTail", "file"}) {
        INFO(key);
        CHECK(text(cliAudit->get(key)) == text(httpAudit->get(key)));
    }
    auto a = arr(cliAudit, "audit");
    auto b = arr(httpAudit, "audit");
    REQUIRE(a->size() == b->size());
    for (unsigned i = 0; i < a->size(); ++i) {
        Poco::JSON::Object::Ptr x = a->getObject(i), y = b->getObject(i);
        std::ostringstream tx, ty;
        x->stringify(tx);
        y->stringify(ty);
        CHECK(tx.str() == ty.str());
    }

    // revoke --json answers {"revoked"} as the route does.
    auto revoked = parse(home.cli({"support", "revoke", "--json"}).out);
    CHECK(flag(revoked, "revoked"));
    CHECK(flag(revoked, "wasLive"));
    CHECK_FALSE(flag(parse(ownerPost(*s, "/api/support/revoke", "{}").body), "revoked"));
    CHECK_FALSE(flag(parse(home.cli({"support", "revoke", "--json"}).out), "revoked"));
    // A usage error with --json: the error body on stdout, the line on stderr, exit 2.
    auto bad = home.cli({"support", "allow", "--tier", "9", "--json"});
    CHECK(bad.code == 2);
    CHECK(str(parse(bad.out), "error") == "bad-tier");
    CHECK(wt::contains(bad.err, "wildws: support allow: tier must be 1..4"));
    // operator disable --json.
    CHECK(flag(parse(home.cli({"operator", "disable", "--json"}).out), "disabled"));
    CHECK_FALSE(flag(parse(home.cli({"operator", "disable", "--json"}).out), "disabled"));
}

TEST_CASE("support_api disabled: the consent plugin still shows a live grant and revokes it", "[support_api][integration]") {
    Home home;
    {
        std::ofstream ini(home / "wildws.ini", std::ios::app);
        ini << "\n[plugins]\ndisable = support_api\n";
    }
    home.allow(3, 30);
    auto s = serve(home);
    CHECK(ownerGet(*s, "/api/support/status").status == 404);
    auto st = ownerGet(*s, "/api/consent/status");
    REQUIRE(st.status == 200);
    auto o = parse(st.body);
    CHECK(flag(o, "enabled"));
    CHECK(num(o, "tier") == 3);
    CHECK_FALSE(flag(o, "operatorEnabled")); // the banner says nobody can connect yet
    CHECK(num(o, "remainingMs") > 0);
    // Only the owner: no bearer, no status.
    CHECK(wt::http(s->port(), "GET", "/api/consent/status", {}).status == 401);
    auto r = ownerPost(*s, "/api/consent/revoke", "{}");
    REQUIRE(r.status == 200);
    CHECK(flag(parse(r.body), "revoked"));
    CHECK_FALSE(flag(parse(ownerGet(*s, "/api/consent/status").body), "enabled"));
    auto revokes = home.audit("revoke");
    REQUIRE(revokes.size() == 1);
    CHECK(str(revokes[0], "actor") == "owner");
    CHECK(wt::lines(home.cli({"support", "status"}).out).at(0) == "support access: OFF (default).");
}
