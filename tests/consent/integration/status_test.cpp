// `wildws support status` and `revoke`: ON, OFF, expiry with the pinned
// clock, hand-edited grant files.
#include "cli_util.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace consent_cli;

namespace {

const std::string kAllowHint = "  allow  : wildws support allow --tier 1 --minutes 60\n";

std::string grantJson(const std::string& tier, long long grantedAt, long long expiresAt) {
    return "{\"version\":1,\"tier\":" + tier + ",\"grantedAt\":" + std::to_string(grantedAt) +
           ",\"expiresAt\":" + std::to_string(expiresAt) + ",\"reason\":\"\"}\n";
}

} // namespace

TEST_CASE("consent cli: status is OFF by default", "[consent][cli]") {
    Home h;
    auto r = h.run({"support", "status"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "support access: OFF (default).\n" + kAllowHint + "  file   : " + h.grantFile() + "\n");
    auto j = h.run({"support", "status", "--json"});
    // The shape of GET /api/consent/status (and the grant fields of /api/support/status): null times when off.
    CHECK(j.out == "{\"enabled\":false,\"tier\":0,\"grantedAt\":null,\"expiresAt\":null,\"remainingMs\":0,"
                   "\"allows\":\"\",\"reason\":\"\",\"offReason\":null,\"operatorEnabled\":false,\"maxMinutes\":480,"
                   "\"file\":\"" + h.grantFile() + "\"}\n");
}

TEST_CASE("consent cli: status ON shows tier, time left, expiry, and it expires without sleeping", "[consent][cli]") {
    Home h;
    REQUIRE(h.run({"support", "allow", "--tier", "2", "--reason", "sync"}, kT0).code == 0);

    const long long at = kT0 + 15 * kMinute;
    auto on = h.run({"support", "status"}, at);
    CHECK(on.code == 0);
    CHECK(on.out == "support access: ON (tier 2) \xE2\x80\x94 45 min remaining.\n"
                    "  tier 2 = read diagnostics/logs + run curated fixes (like restarting the server).\n"
                    "  expires: 2026-01-01 01:00:00 UTC\n"
                    "  reason : sync\n"
                    "  note   : operator access is off, so a support engineer cannot connect yet: wildws operator "
                    "enable\n"
                    "  revoke : wildws support revoke\n"
                    "  file   : " + h.grantFile() + "\n" + pinnedNote(at));
    auto j = h.run({"support", "status", "--json"}, at);
    CHECK(j.out == "{\"enabled\":true,\"tier\":2,\"grantedAt\":\"2026-01-01T00:00:00.000Z\",\"expiresAt\":\"2026-01-01T01:00:00.000Z\","
                   "\"remainingMs\":2700000,\"allows\":\"read diagnostics/logs + run curated fixes (like restarting the "
                   "server)\",\"reason\":\"sync\",\"offReason\":null,\"operatorEnabled\":false,\"maxMinutes\":480,"
                   "\"file\":\"" + h.grantFile() + "\"}\n");

    const long long late = kT0 + 61 * kMinute;
    auto off = h.run({"support", "status"}, late);
    CHECK(off.code == 0);
    CHECK(off.out == "support access: OFF \xE2\x80\x94 the tier 2 grant expired at 2026-01-01 01:00:00 UTC.\n" +
                         kAllowHint + "  file   : " + h.grantFile() + "\n" + pinnedNote(late));
    // The sighting is audited once and clears the file.
    auto again = h.run({"support", "status"}, late);
    CHECK(wt::lines(again.out).at(0) == "support access: OFF (default).");
    auto audit = h.run({"support", "audit"});
    CHECK(audit.out ==
          "recent support actions (newest first):\n"
          "  2026-01-01T01:01:00.000Z \xE2\x9C\x93 grant-expired (tier 2) by wildws \xE2\x80\x94 the tier 2 grant from "
          "2026-01-01T00:00:00.000Z expired at 2026-01-01T01:00:00.000Z; its file was removed\n"
          "  2026-01-01T00:00:00.000Z \xE2\x9C\x93 grant (tier 2) by owner \xE2\x80\x94 for 1h 0m, until "
          "2026-01-01T01:00:00.000Z; reason: sync\n");
}

TEST_CASE("consent cli: a hand-edited grant is OFF and says why", "[consent][cli]") {
    struct Case {
        std::string content;
        std::string sentence;
    };
    const std::vector<Case> cases{
        {grantJson("1", kT0, kT0 + 600 * kMinute),
         "the grant file is invalid: it lasts 10h 0m, longer than the maximum of 8h"},
        {grantJson("1", kT0 + 60 * kMinute, kT0 + 120 * kMinute),
         "the grant file is invalid: it starts in the future (grantedAt is 1h 0m ahead of this clock)"},
        {grantJson("\"4\"", kT0, kT0 + 60 * kMinute),
         "the grant file is invalid: tier must be an integer 1..4 (found \"4\")"},
        {grantJson("4", kT0, kT0 + 60 * kMinute).substr(0, 40),
         "the grant file is corrupt: not valid JSON (truncated or edited by hand?)"},
        {"{\"version\":1,\"tier\":1,\"tier\":4,\"grantedAt\":1,\"expiresAt\":2}",
         "the grant file is corrupt: key 'tier' appears twice"},
    };
    for (auto& c : cases) {
        Home h;
        wt::writeFile(h.grantFile(), c.content);
        auto r = h.run({"support", "status"}, kT0);
        INFO(c.content);
        CHECK(r.code == 0);
        CHECK(r.out == "support access: OFF \xE2\x80\x94 " + c.sentence + ".\n" + kAllowHint +
                           "  remove : wildws support revoke\n  file   : " + h.grantFile() + "\n" + pinnedNote(kT0));
        // Fail closed for the service too, and the file is left for the owner to see.
        CHECK(wt::contains(h.run({"support", "status", "--json"}, kT0).out, "\"enabled\":false"));
        CHECK(fileExists(h.grantFile()));
    }
}

TEST_CASE("consent cli: a grant file others can write, or a symlink, is OFF", "[consent][cli]") {
    Home h;
    wt::writeFile(h.grantFile(), grantJson("4", kT0, kT0 + 60 * kMinute), 0666);
    auto r = h.run({"support", "status"}, kT0);
    CHECK(wt::lines(r.out).at(0) == "support access: OFF \xE2\x80\x94 the grant file is unsafe: it has mode 0666, which "
                                    "lets others read or change it (it must be 0600).");
    ::unlink(h.grantFile().c_str());
    wt::writeFile(h / "real.json", grantJson("4", kT0, kT0 + 60 * kMinute));
    REQUIRE(::symlink((h / "real.json").c_str(), h.grantFile().c_str()) == 0);
    auto s = h.run({"support", "status"}, kT0);
    CHECK(wt::lines(s.out).at(0) == "support access: OFF \xE2\x80\x94 the grant file is unsafe: it is a symbolic link.");
}

TEST_CASE("consent cli: revoke then status", "[consent][cli]") {
    Home h;
    REQUIRE(h.run({"support", "allow", "--tier", "3", "--yes"}).code == 0);
    CHECK(wt::lines(h.run({"support", "status"}).out).at(0).rfind("support access: ON (tier 3)", 0) == 0);
    auto r = h.run({"support", "revoke"});
    CHECK(r.code == 0);
    CHECK(r.out == "\xE2\x9C\x93 support access revoked.\n");
    CHECK(r.err.empty());
    CHECK_FALSE(fileExists(h.grantFile()));
    CHECK(wt::lines(h.run({"support", "status"}).out).at(0) == "support access: OFF (default).");
    auto twice = h.run({"support", "revoke"});
    CHECK(twice.code == 0);
    CHECK(twice.out == "support access was not enabled.\n");

    // An expired file is removed too, and revoke says it was not on.
    REQUIRE(h.run({"support", "allow"}, kT0).code == 0);
    auto stale = h.run({"support", "revoke"}, kT0 + 2 * 60 * kMinute);
    CHECK(stale.out == "support access was not enabled (removed a grant file that was not live: expired).\n");
    CHECK_FALSE(fileExists(h.grantFile()));
}
