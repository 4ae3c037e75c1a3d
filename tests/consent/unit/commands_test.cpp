#include "commands.hpp"

#include "unit_util.hpp"

#include <catch2/catch.hpp>

using namespace wildws::consent;
using consent_unit::FakeInvocation;
using consent_unit::Fixture;
using consent_unit::kMinute;

namespace {

ActionLister probeActions() {
    return [] {
        return std::optional<std::vector<wildws::SupportActionInfo>>(std::vector<wildws::SupportActionInfo>{
            {"shell", 4, "run a shell command", "support_api"},
            {"restart-server", 2, "restart the workspace server", "supervisor"},
            {"logs", 1, "read the last lines of the logs", "support_api"},
            {"diagnostics", 1, "read system diagnostics", "support_api"},
            {"agent-task", 3, "operate the agent on a task", "support_api"},
        });
    };
}

} // namespace

TEST_CASE("consent commands: --dry-run lists what a tier unlocks and changes nothing", "[consent][commands]") {
    Fixture f;
    FakeInvocation inv({{"tier", "2"}}, {"dry-run"});
    CHECK(supportAllow(*f.service, inv, probeActions()) == 0);
    CHECK(inv.outText() ==
          "dry run: tier 2 would let support read diagnostics/logs + run curated fixes (like restarting the server), "
          "for 1h 0m.\n"
          "support actions it would unlock (registered by the loaded plugins):\n"
          "  diagnostics     tier 1  read system diagnostics  [support_api]\n"
          "  logs            tier 1  read the last lines of the logs  [support_api]\n"
          "  restart-server  tier 2  restart the workspace server  [supervisor]\n"
          "still locked (need a higher tier): agent-task (tier 3), shell (tier 4)\n"
          "nothing was changed. To allow it: wildws support allow --tier 2 --minutes 60\n");
    CHECK(inv.errText().empty());
    CHECK_FALSE(consent_unit::exists(f.grantFile()));
    CHECK_FALSE(consent_unit::exists(f.auditFile()));
}

TEST_CASE("consent commands: --dry-run at tier 4 needs no --yes and shows the capped time", "[consent][commands]") {
    Fixture f;
    FakeInvocation inv({{"tier", "4"}, {"minutes", "900"}, {"reason", "it's broken"}}, {"dry-run"});
    CHECK(supportAllow(*f.service, inv, probeActions()) == 0);
    auto out = inv.outText();
    CHECK(wt::lines(out).at(0) == "dry run: tier 4 would let support read diagnostics/logs + curated fixes + operate "
                                  "your agent + run raw shell commands, for 8h 0m.");
    CHECK(wt::lines(out).at(1) == "  (900 min is above the maximum; it would be capped to 8h)");
    CHECK(wt::contains(out, "  shell           tier 4  run a shell command  [support_api]\n"));
    CHECK_FALSE(wt::contains(out, "still locked"));
    CHECK(wt::lines(out).back() ==
          "nothing was changed. To allow it: wildws support allow --tier 4 --minutes 900 --reason 'it'\\''s broken' "
          "--yes");
}

TEST_CASE("consent commands: --dry-run with nothing registered, or no host list", "[consent][commands]") {
    Fixture f;
    FakeInvocation empty({{"tier", "1"}}, {"dry-run"});
    ActionLister none = [] { return std::optional<std::vector<wildws::SupportActionInfo>>(std::vector<wildws::SupportActionInfo>{}); };
    CHECK(supportAllow(*f.service, empty, none) == 0);
    CHECK(wt::lines(empty.outText()).at(1) ==
          "support actions it would unlock: none (no loaded plugin registers a support action at tier 1 or below).");

    FakeInvocation missing({{"tier", "1"}}, {"dry-run"});
    ActionLister absent = [] { return std::optional<std::vector<wildws::SupportActionInfo>>(); };
    CHECK(supportAllow(*f.service, missing, absent) == 1);
    CHECK(missing.errText() ==
          "cannot list support actions: the host's list (service wildws.host/1) is not available.\n");
}

TEST_CASE("consent commands: --dry-run still checks its inputs", "[consent][commands]") {
    Fixture f;
    FakeInvocation inv({{"tier", "9"}}, {"dry-run"});
    CHECK(supportAllow(*f.service, inv, probeActions()) == 2);
    CHECK(inv.errText() == "wildws: support allow: " + tierUsageLine() + "\n");
    CHECK(inv.outText().empty());
}

TEST_CASE("consent commands: status prints why a grant is OFF", "[consent][commands]") {
    Fixture f;
    wildws::GrantRequest r;
    r.tier = 2;
    r.minutes = 60;
    REQUIRE(f.service->grant(r).ok);
    f.clock->advance(60 * kMinute);
    FakeInvocation inv;
    CHECK(supportStatus(*f.service, inv) == 0);
    CHECK(inv.outText() == "support access: OFF \xE2\x80\x94 the tier 2 grant expired at 2026-01-01 01:00:00 UTC.\n"
                           "  allow  : wildws support allow --tier 1 --minutes 60\n"
                           "  file   : " + f.grantFile() + "\n");
}

TEST_CASE("consent commands: the command list", "[consent][commands]") {
    Fixture f;
    struct NoServices : wildws::Services {
        std::shared_ptr<void> findRaw(std::string_view, std::string_view) const override { return nullptr; }
        std::vector<std::shared_ptr<void>> allRaw(std::string_view) const override { return {}; }
    } services;
    auto specs = commandSpecs(f.service, services);
    std::vector<std::string> names;
    for (auto& s : specs) names.push_back(s.name);
    CHECK(names == std::vector<std::string>{"support allow", "support revoke", "support status", "support audit",
                                            "operator enable", "operator disable", "operator status"});
    for (auto& s : specs) {
        CHECK_FALSE(s.summary.empty());
        CHECK(static_cast<bool>(s.run));
    }
    // With no host service, --dry-run says so instead of crashing.
    FakeInvocation inv({{"tier", "1"}}, {"dry-run"});
    CHECK(specs[0].run(inv) == 1);
}
