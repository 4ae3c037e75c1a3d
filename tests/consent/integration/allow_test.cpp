// `wildws support allow`: every bad input, the tier/--yes matrix, the cap,
// the success text, the file it writes.
#include "cli_util.hpp"

#include <catch2/catch.hpp>

using namespace consent_cli;

TEST_CASE("consent cli: allow refuses every bad --tier with the tier line", "[consent][cli]") {
    Home h;
    for (const char* bad : {"0", "5", "2.5", "two", "-1", "01", "4.0", "1e0"}) {
        auto r = h.run({"support", "allow", "--tier", bad});
        INFO("--tier " << bad);
        CHECK(r.code == 2);
        CHECK(r.err == kTierLine);
        CHECK(r.out.empty());
    }
    auto eq = h.run({"support", "allow", "--tier=7", "--yes"});
    CHECK(eq.code == 2);
    CHECK(eq.err == kTierLine);
    CHECK_FALSE(fileExists(h.grantFile()));
    CHECK_FALSE(fileExists(h.auditFile()));
}

// A missing value is refused by the host, with the option's help: the tier list.
TEST_CASE("consent cli: allow with --tier but no value is refused with the tier list", "[consent][cli]") {
    Home h;
    const std::string hostLine =
        "wildws: support allow: option '--tier' needs a value (N): tier must be 1..4 (1 = read-only "
        "diagnostics/logs, 2 = curated fixes, 3 = let support operate your agent, 4 = raw shell); default 1 (see: "
        "wildws help support allow)\n";
    for (auto args : {std::vector<std::string>{"support", "allow", "--tier"},
                      std::vector<std::string>{"support", "allow", "--tier", "--yes"},
                      std::vector<std::string>{"support", "allow", "--tier="}}) {
        auto r = h.run(args);
        CHECK(r.code == 2);
        CHECK(r.err == hostLine);
    }
    CHECK_FALSE(fileExists(h.grantFile()));
}

TEST_CASE("consent cli: allow refuses every bad --minutes and --reason", "[consent][cli]") {
    Home h;
    for (const char* bad : {"0", "-5", "1.5", "abc", "60m", "00"}) {
        auto r = h.run({"support", "allow", "--minutes", bad});
        INFO("--minutes " << bad);
        CHECK(r.code == 2);
        CHECK(r.err == kMinutesLine);
        CHECK(r.out.empty());
    }
    auto none = h.run({"support", "allow", "--minutes"});
    CHECK(none.code == 2);
    CHECK(none.err == "wildws: support allow: option '--minutes' needs a value (M): minutes must be a positive whole "
                      "number; default 60, capped at the maximum (8h unless lowered) (see: wildws help support allow)\n");

    const std::string reasonLine = "wildws: support allow: reason must be 1..200 characters on one line (no control or bidi characters).\n";
    for (const std::string& bad : {std::string("two\nlines"), std::string(201, 'r'), std::string("bell\a")}) {
        auto r = h.run({"support", "allow", "--reason", bad});
        CHECK(r.code == 2);
        CHECK(r.err == reasonLine);
    }
    // The tier is checked first, then the minutes.
    auto both = h.run({"support", "allow", "--tier", "9", "--minutes", "0"});
    CHECK(both.err == kTierLine);
    CHECK_FALSE(fileExists(h.grantFile()));
}

TEST_CASE("consent cli: tiers 3 and 4 need --yes", "[consent][cli]") {
    for (int tier = 1; tier <= 4; ++tier) {
        for (bool yes : {false, true}) {
            Home h;
            std::vector<std::string> args{"support", "allow", "--tier", std::to_string(tier)};
            if (yes) args.push_back("--yes");
            auto r = h.run(args, kT0);
            INFO("tier " << tier << (yes ? " --yes" : ""));
            if (tier >= 3 && !yes) {
                CHECK(r.code == 2);
                CHECK(r.out.empty());
                CHECK(r.err == "wildws: support allow: tier " + std::to_string(tier) + " lets wildws support " +
                                   (tier == 4 ? "run shell commands on" : "operate the agent on") +
                                   " your machine (time-boxed, audited, revocable). Re-run with --yes to confirm:\n"
                                   "  wildws support allow --tier " + std::to_string(tier) + " --minutes 60 --yes\n");
                CHECK_FALSE(fileExists(h.grantFile()));
            } else {
                CHECK(r.code == 0);
                CHECK(r.err.empty());
                CHECK(wt::lines(r.out).at(0) == "\xE2\x9C\x93 wildws support allowed at tier " + std::to_string(tier) +
                                                    " for 1h 0m (max 8h).");
                CHECK(fileExists(h.grantFile()));
            }
        }
    }
}

TEST_CASE("consent cli: the re-run command keeps the minutes and the reason", "[consent][cli]") {
    Home h;
    auto r = h.run({"support", "allow", "--tier", "4", "--minutes", "30", "--reason", "db won't start"});
    CHECK(r.code == 2);
    CHECK(wt::lines(r.err).at(1) == "  wildws support allow --tier 4 --minutes 30 --reason 'db won'\\''t start' --yes");
}

TEST_CASE("consent cli: allow prints tier, what it allows, length, expiry and how to revoke", "[consent][cli]") {
    Home h;
    auto r = h.run({"support", "allow", "--tier", "2", "--reason", "sync is stuck"}, kT0);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "\xE2\x9C\x93 wildws support allowed at tier 2 for 1h 0m (max 8h).\n"
                   "  tier 2 = read diagnostics/logs + run curated fixes (like restarting the server).\n"
                   "  expires at 2026-01-01 01:00:00 UTC.\n"
                   "  reason: sync is stuck\n"
                   "  It auto-expires; revoke anytime with: wildws support revoke\n"
                   "  note: operator access is off, so a support engineer cannot connect yet: wildws operator "
                   "enable\n");
    CHECK(wt::readFile(h.grantFile()) ==
          "{\"version\":1,\"tier\":2,\"grantedAt\":1767225600000,\"expiresAt\":1767229200000,\"reason\":\"sync is "
          "stuck\"}\n");
    struct stat st {};
    REQUIRE(::stat(h.grantFile().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("consent cli: defaults are tier 1 for 60 minutes", "[consent][cli]") {
    Home h;
    REQUIRE(h.run({"operator", "enable"}).code == 0);
    auto r = h.run({"support", "allow"}, kT0);
    CHECK(r.code == 0);
    CHECK(r.out == "\xE2\x9C\x93 wildws support allowed at tier 1 for 1h 0m (max 8h).\n"
                   "  tier 1 = read diagnostics + logs only.\n"
                   "  expires at 2026-01-01 01:00:00 UTC.\n"
                   "  It auto-expires; revoke anytime with: wildws support revoke\n");
}

TEST_CASE("consent cli: more than the maximum is capped, and the output says so", "[consent][cli]") {
    Home h;
    auto r = h.run({"support", "allow", "--minutes", "600"}, kT0);
    CHECK(r.code == 0);
    auto lines = wt::lines(r.out);
    CHECK(lines.at(0) == "\xE2\x9C\x93 wildws support allowed at tier 1 for 8h 0m (max 8h).");
    CHECK(lines.at(1) == "  you asked for 10h 0m; grants are capped at the maximum of 8h.");
    CHECK(lines.at(3) == "  expires at 2026-01-01 08:00:00 UTC.");
    CHECK(wt::contains(wt::readFile(h.grantFile()), "\"expiresAt\":1767254400000"));

    auto huge = h.run({"support", "allow", "--minutes", "99999999999999999999999"}, kT0);
    CHECK(huge.code == 0);
    CHECK(wt::lines(huge.out).at(0) == "\xE2\x9C\x93 wildws support allowed at tier 1 for 8h 0m (max 8h).");
    CHECK(wt::lines(huge.out).at(1) ==
          "  you asked for more than 16666666h 40m; grants are capped at the maximum of 8h.");
    CHECK(wt::contains(wt::readFile(h.auditFile()), "(asked for more than 1000000000 min, capped at the maximum of 8h)"));
}

TEST_CASE("consent cli: an admin can lower the maximum", "[consent][cli]") {
    Home h;
    wt::writeFile(h / "wildws.ini", "[plugin.consent]\nmax_minutes = 90\n");
    auto r = h.run({"support", "allow", "--minutes", "120"}, kT0);
    CHECK(r.code == 0);
    CHECK(wt::lines(r.out).at(0) == "\xE2\x9C\x93 wildws support allowed at tier 1 for 1h 30m (max 1h 30m).");
    CHECK(wt::lines(r.out).at(1) == "  you asked for 2h 0m; grants are capped at the maximum of 1h 30m.");
    auto bad = h.run({"support", "allow", "--minutes", "x"});
    CHECK(bad.err ==
          "wildws: support allow: minutes must be a positive whole number (e.g. --minutes 60); longer than the maximum (1h 30m) is capped.\n");

    // Also through --set, and the ceiling cannot be raised.
    Home g;
    auto set = g.run({"--set", "plugin.consent.max_minutes=900", "support", "allow", "--minutes", "700"}, kT0);
    CHECK(set.code == 0);
    CHECK(wt::lines(set.out).at(0) == "\xE2\x9C\x93 wildws support allowed at tier 1 for 8h 0m (max 8h).");
    CHECK(wt::contains(set.err, "[plugin.consent] max_minutes = 900 is above the ceiling of 480 (8h): an admin may "
                                "only lower it; using 480"));
}

TEST_CASE("consent cli: a broken max_minutes refuses grants, revoke still works", "[consent][cli]") {
    Home h;
    REQUIRE(h.run({"support", "allow"}).code == 0);
    wt::writeFile(h / "wildws.ini", "[plugin.consent]\nmax_minutes = ten\n");
    const std::string msg =
        "[plugin.consent] max_minutes = 'ten': expected a whole number of minutes from 1 to 480; fix it in wildws.ini";
    auto r = h.run({"support", "allow"});
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: support allow: " + msg + "\n"); // the host prefixes a plugin's error lines
    auto s = h.run({"support", "status"});
    CHECK(wt::lines(s.out).at(0) == "support access: OFF \xE2\x80\x94 the consent config is broken: " + msg + ".");
    auto v = h.run({"support", "revoke"});
    CHECK(v.code == 0);
    CHECK(v.out == "support access was not enabled (removed a grant file that was not live: the consent config is "
                   "broken).\n");
    CHECK_FALSE(fileExists(h.grantFile()));
}

TEST_CASE("consent cli: allow --dry-run lists the actions the plugins registered", "[consent][cli]") {
    Home h(true);
    auto r = h.run({"support", "allow", "--dry-run", "--tier", "3"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "dry run: tier 3 would let support read diagnostics/logs + curated fixes + operate your agent on a "
                   "task, for 1h 0m.\n"
                   "support actions it would unlock (registered by the loaded plugins):\n"
                   "  probe-diagnostics  tier 1  read system diagnostics  [consentprobe]\n"
                   "  probe-logs         tier 1  read the last lines of the logs  [consentprobe]\n"
                   "  probe-restart      tier 2  restart the workspace server  [consentprobe]\n"
                   "  probe-agent-task   tier 3  operate the agent on a task  [consentprobe]\n"
                   "still locked (need a higher tier): probe-shell (tier 4)\n"
                   "nothing was changed. To allow it: wildws support allow --tier 3 --minutes 60 --yes\n");
    CHECK_FALSE(fileExists(h.grantFile()));
    CHECK_FALSE(fileExists(h.auditFile()));

    Home bare;
    auto none = bare.run({"support", "allow", "--dry-run", "--tier", "1"});
    CHECK(none.code == 0);
    CHECK(wt::lines(none.out).at(1) ==
          "support actions it would unlock: none (no loaded plugin registers a support action at tier 1 or below).");
}

// The JSON says when in ISO 8601 UTC (the grant file keeps its ms).
TEST_CASE("consent cli: allow --json carries ISO 8601 times, the file keeps ms", "[consent][cli]") {
    Home h;
    auto r = h.run({"support", "allow", "--tier", "2", "--minutes", "30", "--json"}, kT0 + 500);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "{\"ok\":true,\"enabled\":true,\"tier\":2,\"grantedAt\":\"2026-01-01T00:00:00.500Z\","
                   "\"expiresAt\":\"2026-01-01T00:30:00.500Z\",\"remainingMs\":1800000,\"capped\":false,"
                   "\"maxMinutes\":480,\"allows\":\"read diagnostics/logs + run curated fixes (like restarting the "
                   "server)\",\"operatorEnabled\":false}\n");
    CHECK(wt::contains(wt::readFile(h.grantFile()), "\"grantedAt\":1767225600500,\"expiresAt\":1767227400500,"));
}
