#include "audit_log.hpp"
#include "grant_store.hpp"
#include "policy.hpp"

#include "unit_util.hpp"

#include <catch2/catch.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <atomic>
#include <thread>

using namespace wildws::consent;
using consent_unit::Fixture;
using consent_unit::kMinute;
using consent_unit::kT0;

namespace {

wildws::GrantRequest request(int tier, std::int64_t minutes, bool confirmed = false, std::string reason = "") {
    wildws::GrantRequest r;
    r.tier = tier;
    r.minutes = minutes;
    r.confirmed = confirmed;
    r.reason = std::move(reason);
    return r;
}

std::vector<wildws::AuditEntry> audit(Fixture& f) { return f.service->readAudit(1000); }

} // namespace

TEST_CASE("consent service: OFF by default", "[consent][service]") {
    Fixture f;
    auto s = f.service->status();
    CHECK_FALSE(s.enabled);
    CHECK(s.tier == 0);
    CHECK(s.offReason.empty());
    CHECK(s.file == f.grantFile());
}

TEST_CASE("consent service: grant, remaining time, expiry seen and audited once", "[consent][service]") {
    Fixture f;
    auto r = f.service->grant(request(2, 60, false, "sync broken"));
    REQUIRE(r.ok);
    CHECK_FALSE(r.capped);
    CHECK(r.maxMinutes == 480);
    CHECK(r.status.enabled);
    CHECK(r.status.expiresAt == kT0 + 60 * kMinute);
    CHECK(consent_unit::modeOf(f.grantFile()) == 0600);

    auto s = f.service->status();
    CHECK(s.enabled);
    CHECK(s.tier == 2);
    CHECK(s.remainingMs == 60 * kMinute);
    CHECK(s.reason == "sync broken");

    f.clock->advance(30 * kMinute);
    CHECK(f.service->status().remainingMs == 30 * kMinute);

    f.clock->advance(30 * kMinute); // exactly at expiresAt
    auto off = f.service->status();
    CHECK_FALSE(off.enabled);
    CHECK(off.offReason == "expired");
    CHECK(off.tier == 2);
    CHECK(off.expiresAt == kT0 + 60 * kMinute);
    CHECK_FALSE(consent_unit::exists(f.grantFile()));

    CHECK(f.service->status().offReason.empty()); // the sighting removed it
    auto entries = audit(f);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].action == "grant-expired");
    CHECK(entries[0].actor == "wildws");
    CHECK(entries[0].tier == 2);
    CHECK(entries[0].detail ==
          "the tier 2 grant from 2026-01-01T00:00:00.000Z expired at 2026-01-01T01:00:00.000Z; its file was removed");
    CHECK(entries[1].action == "grant");
    CHECK(entries[1].actor == "owner");
    CHECK(entries[1].detail == "for 1h 0m, until 2026-01-01T01:00:00.000Z; reason: sync broken");
}

TEST_CASE("consent service: grant refuses bad requests with the CLI's words", "[consent][service]") {
    Fixture f;
    auto bad = f.service->grant(request(0, 60));
    CHECK(bad.error == "bad-tier");
    CHECK(bad.message == tierUsageLine());
    CHECK(f.service->grant(request(5, 60)).error == "bad-tier");
    auto mins = f.service->grant(request(1, 0));
    CHECK(mins.error == "bad-minutes");
    CHECK(mins.message == minutesUsageLine(480));
    CHECK(f.service->grant(request(1, 10, false, "two\nlines")).error == "bad-reason");
    auto t3 = f.service->grant(request(3, 60));
    CHECK(t3.error == "confirm-required");
    CHECK(t3.message == "tier 3 lets wildws support operate the agent on your machine (time-boxed, audited, "
                        "revocable). Re-run with --yes to confirm:");
    auto t4 = f.service->grant(request(4, 60));
    CHECK(t4.message == "tier 4 lets wildws support run shell commands on your machine (time-boxed, audited, "
                        "revocable). Re-run with --yes to confirm:");
    CHECK_FALSE(consent_unit::exists(f.grantFile()));
    CHECK(audit(f).empty()); // refusals change nothing
    CHECK(f.service->grant(request(3, 60, true)).ok);
    CHECK(f.service->grant(request(4, 60, true)).ok);
}

TEST_CASE("consent service: long grants are capped at the maximum", "[consent][service]") {
    Fixture f;
    auto r = f.service->grant(request(1, 600));
    REQUIRE(r.ok);
    CHECK(r.capped);
    CHECK(r.status.expiresAt - r.status.grantedAt == 480 * kMinute);
    CHECK(audit(f).at(0).detail ==
          "for 8h 0m, until 2026-01-01T08:00:00.000Z (asked for 600 min, capped at the maximum of 8h)");

    Fixture lowered(90);
    auto l = lowered.service->grant(request(1, 100));
    CHECK(l.capped);
    CHECK(l.maxMinutes == 90);
    CHECK(l.status.expiresAt - l.status.grantedAt == 90 * kMinute);
}

TEST_CASE("consent service: lowering the maximum turns a longer grant off", "[consent][service]") {
    Fixture f;
    REQUIRE(f.service->grant(request(1, 120)).ok);
    f.reset(90);
    auto s = f.service->status();
    CHECK_FALSE(s.enabled);
    CHECK(s.offReason == "invalid: it lasts 2h 0m, longer than the maximum of 1h 30m");
    CHECK(consent_unit::exists(f.grantFile())); // kept for the owner to see
}

TEST_CASE("consent service: a broken config refuses grants but revoke still works", "[consent][service]") {
    Fixture f;
    REQUIRE(f.service->grant(request(2, 60)).ok);
    const std::string err = "[plugin.consent] max_minutes = 'ten': expected a whole number";
    f.reset(480, err);
    auto s = f.service->status();
    CHECK_FALSE(s.enabled);
    CHECK(s.offReason == "config: " + err);
    auto g = f.service->grant(request(1, 60));
    CHECK(g.error == "config");
    CHECK(g.message == err);
    auto d = f.service->authorize("probe", 1, "operator");
    CHECK_FALSE(d.allowed);
    auto rev = f.service->revokeGrant("owner", "");
    CHECK(rev.existed);
    CHECK_FALSE(rev.wasLive);
    CHECK(rev.offReason == "the consent config is broken");
}

TEST_CASE("consent service: the monotonic clock bounds a grant when the wall clock goes back", "[consent][service]") {
    Fixture f;
    REQUIRE(f.service->grant(request(1, 480)).ok);
    CHECK(f.service->status().enabled); // first seen now
    f.clock->advance(479 * kMinute);
    CHECK(f.service->status().remainingMs == kMinute);
    f.clock->jumpWall(-300 * kMinute); // someone sets the clock back 5 h
    auto s = f.service->status();
    CHECK(s.enabled);
    CHECK(s.remainingMs == kMinute); // not 5h 1m
    f.clock->advance(kMinute);
    auto off = f.service->status();
    CHECK_FALSE(off.enabled);
    CHECK(off.offReason == "expired");
    auto e = audit(f).at(0);
    CHECK(e.action == "grant-expired");
    CHECK(e.detail.find("by this process's monotonic clock") != std::string::npos);
}

TEST_CASE("consent service: a wall clock set far back makes the grant start in the future", "[consent][service]") {
    Fixture f;
    REQUIRE(f.service->grant(request(1, 60)).ok);
    f.clock->jumpWall(-24 * 60 * kMinute);
    auto s = f.service->status();
    CHECK_FALSE(s.enabled);
    CHECK(s.offReason == "invalid: it starts in the future (grantedAt is 24h 0m ahead of this clock)");
}

TEST_CASE("consent service: authorize decides and audits every attempt", "[consent][service]") {
    Fixture f;
    auto none = f.service->authorize("probe-restart", 2, "operator", "args {}");
    CHECK_FALSE(none.allowed);
    CHECK(none.code == "no-consent");
    CHECK(none.message == "support access is OFF: the owner has not allowed support (wildws support allow)");
    CHECK(none.tier == 0);

    REQUIRE(f.service->grant(request(2, 60)).ok);
    auto ok = f.service->authorize("probe-restart", 2, "operator");
    CHECK(ok.allowed);
    CHECK(ok.code.empty());
    CHECK(ok.tier == 2);
    CHECK(ok.message == "allowed by the tier 2 grant (1h 0m left)");

    auto low = f.service->authorize("probe-agent-task", 3, "operator");
    CHECK_FALSE(low.allowed);
    CHECK(low.code == "tier-insufficient");
    CHECK(low.message == "'probe-agent-task' needs tier 3, and support access is tier 2");

    f.clock->advance(61 * kMinute);
    auto late = f.service->authorize("probe-restart", 2, "operator");
    CHECK_FALSE(late.allowed);
    CHECK(late.code == "expired");
    CHECK(late.message == "the owner's support grant has expired");

    wt::writeFile(f.grantFile(), "{\"version\":1,\"tier\":\"4\"");
    auto corrupt = f.service->authorize("probe-shell", 4, "operator");
    CHECK(corrupt.code == "no-consent");
    CHECK(corrupt.message ==
          "support access is OFF: the grant is not valid (corrupt: not valid JSON (truncated or edited by hand?))");

    auto entries = audit(f);
    // newest first: corrupt, expired, grant-expired sighting, low, ok, grant, none
    REQUIRE(entries.size() == 7);
    CHECK(entries[0].action == "probe-shell");
    CHECK_FALSE(entries[0].ok);
    CHECK(entries[1].detail == "denied (expired): the owner's support grant has expired");
    CHECK(entries[2].action == "grant-expired");
    CHECK(entries[3].detail == "denied (tier-insufficient): 'probe-agent-task' needs tier 3, and support access is tier 2");
    CHECK(entries[3].tier == 3);
    CHECK(entries[4].ok);
    CHECK(entries[4].actor == "operator");
    CHECK(entries[4].detail == "allowed by the tier 2 grant (1h 0m left)");
    CHECK(entries[6].detail == "args {}; denied (no-consent): support access is OFF: the owner has not allowed "
                               "support (wildws support allow)");
}

TEST_CASE("consent service: a tier below 1 is treated as 1", "[consent][service]") {
    Fixture f;
    CHECK_FALSE(f.service->authorize("free-lunch", 0, "operator").allowed);
    CHECK(audit(f).at(0).tier == 1);
}

TEST_CASE("consent service: no audit, no action", "[consent][service]") {
    Fixture f;
    // A live grant that the audit cannot record anything for.
    GrantStore(f.grantFile()).write(Grant{4, kT0, kT0 + 60 * kMinute, ""});
    REQUIRE(::mkdir(f.auditFile().c_str(), 0700) == 0);
    REQUIRE(f.service->status().enabled);
    auto d = f.service->authorize("probe-shell", 1, "operator");
    CHECK_FALSE(d.allowed);
    CHECK(d.code == "audit-failed");
    CHECK(d.message == "the audit feed could not be written, so the action is refused");
    CHECK_FALSE(f.service->append(wildws::AuditEntry{}));

    // A grant is refused too, and leaves the old file as it was.
    auto before = wt::readFile(f.grantFile());
    auto g = f.service->grant(request(1, 60));
    CHECK(g.error == "write-failed");
    CHECK(g.message.find("so support access was NOT allowed (every grant must be audited).") != std::string::npos);
    CHECK(wt::readFile(f.grantFile()) == before);

    // Revoking never waits for the audit.
    auto r = f.service->revokeGrant("owner", "");
    CHECK(r.existed);
    CHECK(r.wasLive);
    CHECK_FALSE(r.auditError.empty());
    CHECK_FALSE(consent_unit::exists(f.grantFile()));
}

TEST_CASE("consent service: revoke says whether a grant was on", "[consent][service]") {
    Fixture f;
    auto none = f.service->revokeGrant("owner", "");
    CHECK_FALSE(none.existed);
    CHECK_FALSE(f.service->revoke("owner"));
    REQUIRE(f.service->grant(request(3, 60, true)).ok);
    f.clock->advance(20 * kMinute);
    auto r = f.service->revokeGrant("owner", "from the UI");
    CHECK(r.existed);
    CHECK(r.wasLive);
    CHECK(r.tier == 3);
    CHECK(r.auditError.empty());
    CHECK_FALSE(f.service->status().enabled);
    auto e = audit(f).at(0);
    CHECK(e.action == "revoke");
    CHECK(e.tier == 3);
    CHECK(e.detail == "revoked the live tier 3 grant (40 min were left); from the UI");
    CHECK(audit(f).at(2).detail == "nothing to revoke");

    wt::writeFile(f.grantFile(), "{oops");
    auto stale = f.service->revokeGrant("owner", "");
    CHECK(stale.existed);
    CHECK_FALSE(stale.wasLive);
    CHECK(stale.offReason == "corrupt: not valid JSON (truncated or edited by hand?)");
}

TEST_CASE("consent service: a new grant replaces the old one", "[consent][service]") {
    Fixture f;
    REQUIRE(f.service->grant(request(1, 60)).ok);
    REQUIRE(f.service->grant(request(2, 30)).ok);
    CHECK(f.service->status().tier == 2);
    CHECK(audit(f).at(0).detail == "for 30 min, until 2026-01-01T00:30:00.000Z; replaces the live tier 1 grant");
}

TEST_CASE("consent service: operator token minted, matched, rotated, deleted", "[consent][service]") {
    Fixture f;
    CHECK_FALSE(f.service->operatorStatus().enabled);
    CHECK_FALSE(f.service->operatorTokenMatches("anything"));
    auto first = f.service->enableOperator("owner");
    CHECK_FALSE(first.replaced);
    CHECK(first.token.rfind("wwop_", 0) == 0);
    CHECK(first.token.size() == 5 + 43);
    CHECK(consent_unit::modeOf(f.operatorFile()) == 0600);
    CHECK(wt::readFile(f.operatorFile()).find(first.token) == std::string::npos);
    CHECK(wt::readFile(f.operatorFile()).find(first.token.substr(5, 20)) == std::string::npos);
    CHECK(f.service->operatorTokenMatches(first.token));
    CHECK_FALSE(f.service->operatorTokenMatches(first.token + "x"));
    CHECK_FALSE(f.service->operatorTokenMatches(""));
    auto st = f.service->operatorStatus();
    CHECK(st.enabled);
    CHECK(st.createdAt == kT0);
    CHECK(st.fingerprint.size() == 12);

    auto second = f.service->enableOperator("owner");
    CHECK(second.replaced);
    CHECK_FALSE(f.service->operatorTokenMatches(first.token));
    CHECK(f.service->operatorTokenMatches(second.token));

    ::chmod(f.operatorFile().c_str(), 0644);
    CHECK_FALSE(f.service->operatorTokenMatches(second.token));
    CHECK(f.service->operatorStatus().offReason ==
          "unsafe: it has mode 0644, which lets others read or change it (it must be 0600)");
    ::chmod(f.operatorFile().c_str(), 0600);

    auto off = f.service->disableOperator("owner");
    CHECK(off.existed);
    CHECK_FALSE(f.service->operatorTokenMatches(second.token));
    CHECK_FALSE(f.service->disableOperator("owner").existed);

    auto entries = audit(f);
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].detail == "no operator token to delete");
    CHECK(entries[1].action == "operator-disable");
    CHECK(entries[2].detail.find("; the previous token no longer works") != std::string::npos);
    CHECK(entries[3].action == "operator-enable");
    for (auto& e : entries) CHECK(e.detail.find(second.token) == std::string::npos);
}

TEST_CASE("consent service: calls from many threads keep the audit whole", "[consent][service]") {
    Fixture f;
    REQUIRE(f.service->grant(request(2, 60)).ok);
    std::vector<std::thread> threads;
    std::atomic<int> allowed{0};
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                if (f.service->authorize("probe-" + std::to_string(t), 1 + i % 3, "operator").allowed) ++allowed;
                f.service->status();
            }
        });
    for (auto& th : threads) th.join();
    CHECK(allowed.load() == 8 * (14 + 13)); // i % 3 in {0,1}: tiers 1 and 2
    auto v = f.service->audit().verify();
    CHECK(v.ok);
    CHECK(v.entries == 1 + 8 * 40);
}

TEST_CASE("consent service: a server logs the same problem once a minute", "[consent][service]") {
    Fixture f;
    std::ostringstream logged;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
    sink->set_pattern("[%l] %v");
    auto logger = std::make_shared<spdlog::logger>("consent-test", sink);
    ServiceSettings s;
    s.home = f.dir.path();
    s.role = wildws::Role::Daemon;
    ConsentService daemon(s, f.clock, logger);
    wt::writeFile(f.grantFile(), "{oops");
    for (int i = 0; i < 50; ++i) CHECK_FALSE(daemon.authorize("probe", 1, "operator").allowed);
    auto lines = wt::lines(logged.str());
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "[warning] support grant ignored (" + f.grantFile() +
                          "): corrupt: not valid JSON (truncated or edited by hand?)");
    f.clock->advance(61000);
    daemon.status();
    CHECK(wt::lines(logged.str()).size() == 2);
}
