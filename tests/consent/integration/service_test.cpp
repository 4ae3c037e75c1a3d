// The Consent service as another plugin (the daemon) sees it, through the
// real host: every check re-reads the files.
#include "cli_util.hpp"

#include <catch2/catch.hpp>

using namespace consent_cli;

namespace {

wt::Result authorize(const Home& h, const std::string& action, int tier, long long now = 0) {
    return h.run({"consent-probe", "authorize", "--action", action, "--tier", std::to_string(tier)}, now);
}

} // namespace

TEST_CASE("consent cli: authorize follows grant, tier, revoke and expiry", "[consent][cli]") {
    Home h(true);
    auto none = authorize(h, "probe-diagnostics", 1);
    CHECK(none.code == 3);
    CHECK(none.out == "allowed=no code=no-consent tier=0 message=support access is OFF: the owner has not allowed "
                      "support (wildws support allow)\n");

    REQUIRE(h.run({"support", "allow", "--tier", "2"}, kT0).code == 0);
    auto ok = authorize(h, "probe-restart", 2, kT0 + kMinute);
    CHECK(ok.code == 0);
    CHECK(ok.out == "allowed=yes code= tier=2 message=allowed by the tier 2 grant (59 min left)\n");
    auto low = authorize(h, "probe-agent-task", 3, kT0 + kMinute);
    CHECK(low.code == 3);
    CHECK(low.out == "allowed=no code=tier-insufficient tier=2 message='probe-agent-task' needs tier 3, and support "
                     "access is tier 2\n");

    // Revoke is seen by the very next check.
    REQUIRE(h.run({"support", "revoke"}).code == 0);
    CHECK(authorize(h, "probe-restart", 2, kT0 + 2 * kMinute).code == 3);

    REQUIRE(h.run({"support", "allow", "--tier", "4", "--yes"}, kT0).code == 0);
    auto late = authorize(h, "probe-shell", 4, kT0 + 61 * kMinute);
    CHECK(late.code == 3);
    CHECK(late.out == "allowed=no code=expired tier=0 message=the owner's support grant has expired\n");

    // A hand-edited, longer grant does not pass either.
    wt::writeFile(h.grantFile(), "{\"version\":1,\"tier\":4,\"grantedAt\":" + std::to_string(kT0) +
                                     ",\"expiresAt\":" + std::to_string(kT0 + 24 * 60 * kMinute) + ",\"reason\":\"\"}");
    auto forged = authorize(h, "probe-shell", 4, kT0 + kMinute);
    CHECK(forged.code == 3);
    CHECK(forged.out == "allowed=no code=no-consent tier=0 message=support access is OFF: the grant is not valid "
                        "(invalid: it lasts 24h 0m, longer than the maximum of 8h)\n");

    // Every attempt is in the audit, allowed or not.
    auto audit = h.run({"support", "audit", "--json", "--limit", "100"});
    CHECK(wt::contains(audit.out, "\"action\":\"probe-diagnostics\",\"tier\":1,\"ok\":false,\"actor\":\"operator\""));
    CHECK(wt::contains(audit.out, "\"action\":\"probe-restart\",\"tier\":2,\"ok\":true,\"actor\":\"operator\""));
    CHECK(wt::contains(audit.out, "\"action\":\"probe-shell\",\"tier\":4,\"ok\":false"));
    CHECK(h.run({"support", "audit", "--verify"}).code == 0);
}

TEST_CASE("consent cli: with the consent plugin disabled every action is denied", "[consent][cli]") {
    Home h(true);
    REQUIRE(h.run({"support", "allow", "--tier", "4", "--yes"}).code == 0);
    wt::writeFile(h / "wildws.ini", "[plugins]\ndisable = consent\n");
    auto r = authorize(h, "probe-diagnostics", 1);
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: consent-probe authorize: no consent service\n");
}
