#include "grant_store.hpp"
#include "policy.hpp"

#include "unit_util.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <random>

using namespace wildws::consent;
using consent_unit::kMinute;
using consent_unit::kT0;

namespace {

std::string grantJson(const std::string& tier, std::int64_t grantedAt, std::int64_t expiresAt,
                      const std::string& extra = "") {
    return "{\"version\":1,\"tier\":" + tier + ",\"grantedAt\":" + std::to_string(grantedAt) +
           ",\"expiresAt\":" + std::to_string(expiresAt) + ",\"reason\":\"\"" + extra + "}";
}

std::string why(const std::string& content, std::int64_t now = kT0, std::int64_t max = 480) {
    return evaluateGrant(content, now, max).why;
}

} // namespace

TEST_CASE("consent grant: a written grant reads back live", "[consent][grant]") {
    Grant g{3, kT0, kT0 + 60 * kMinute, "fix \"sync\"\n now"};
    auto text = serializeGrant(g);
    CHECK(text.back() == '\n');
    CHECK(text.find('\n') == text.size() - 1);
    auto c = evaluateGrant(text, kT0 + kMinute, 480);
    CHECK(c.state == GrantState::Live);
    CHECK(c.why.empty());
    CHECK(c.grant.tier == 3);
    CHECK(c.grant.grantedAt == kT0);
    CHECK(c.grant.expiresAt == kT0 + 60 * kMinute);
    CHECK(c.grant.reason == g.reason);
    CHECK(text.rfind("{\"version\":1,\"tier\":3,\"grantedAt\":", 0) == 0);
}

TEST_CASE("consent grant: expiry is exact to the ms", "[consent][grant]") {
    auto text = grantJson("1", kT0, kT0 + 60 * kMinute);
    CHECK(evaluateGrant(text, kT0 + 60 * kMinute - 1, 480).state == GrantState::Live);
    auto at = evaluateGrant(text, kT0 + 60 * kMinute, 480);
    CHECK(at.state == GrantState::Expired);
    CHECK(at.why == "expired");
    CHECK(at.grant.tier == 1);
}

TEST_CASE("consent grant: hand-edited files are OFF with the reason", "[consent][grant]") {
    const auto end = kT0 + 60 * kMinute;
    CHECK(why(grantJson("1", kT0, end).substr(0, 30)) == "corrupt: not valid JSON (truncated or edited by hand?)");
    CHECK(why("") == "corrupt: not valid JSON (truncated or edited by hand?)");
    CHECK(why("[1]") == "corrupt: not a JSON object");
    CHECK(why(grantJson("\"3\"", kT0, end)) == "invalid: tier must be an integer 1..4 (found \"3\")");
    CHECK(why(grantJson("2.5", kT0, end)) == "invalid: tier must be an integer 1..4 (found 2.5)");
    CHECK(why(grantJson("3.0", kT0, end)) == "invalid: tier must be an integer 1..4 (found 3)");
    CHECK(why(grantJson("0", kT0, end)) == "invalid: tier must be an integer 1..4 (found 0)");
    CHECK(why(grantJson("5", kT0, end)) == "invalid: tier must be an integer 1..4 (found 5)");
    CHECK(why(grantJson("true", kT0, end)) == "invalid: tier must be an integer 1..4 (found true)");
    CHECK(why(grantJson("null", kT0, end)) == "invalid: tier must be an integer 1..4 (found null)");
    CHECK(why("{\"version\":1,\"grantedAt\":1,\"expiresAt\":2}") == "invalid: tier must be an integer 1..4 (missing)");
    CHECK(why(grantJson("1", kT0, end, ",\"tier\":4")) == "corrupt: key 'tier' appears twice");
    CHECK(why(grantJson("1", kT0, end, ",\"admin\":true")) == "invalid: unexpected key 'admin'");
    CHECK(why("{\"version\":2,\"tier\":1,\"grantedAt\":1,\"expiresAt\":2}") == "invalid: version must be 1 (found 2)");
    CHECK(why("{\"tier\":1,\"grantedAt\":1,\"expiresAt\":2}") == "invalid: version must be 1 (missing)");
    CHECK(why("{\"version\":1,\"tier\":1,\"grantedAt\":\"now\",\"expiresAt\":2}") ==
          "invalid: grantedAt must be a whole number of ms since the epoch (found \"now\")");
    CHECK(why("{\"version\":1,\"tier\":1,\"grantedAt\":5,\"expiresAt\":1.5e12}") ==
          "invalid: expiresAt must be a whole number of ms since the epoch (found 1500000000000)");
    CHECK(why(grantJson("1", kT0, end).replace(grantJson("1", kT0, end).find("\"\"}"), 3, "7}")) ==
          "invalid: reason must be a string");
    CHECK(why(grantJson("1", kT0, kT0)) == "invalid: expiresAt is not after grantedAt");
    CHECK(why(grantJson("1", kT0, kT0 - 1)) == "invalid: expiresAt is not after grantedAt");
    // Longer than the maximum, by one minute; and against a lowered maximum.
    CHECK(why(grantJson("1", kT0, kT0 + 481 * kMinute)) ==
          "invalid: it lasts 8h 1m, longer than the maximum of 8h");
    CHECK(why(grantJson("1", kT0, kT0 + 120 * kMinute), kT0, 90) ==
          "invalid: it lasts 2h 0m, longer than the maximum of 1h 30m");
    CHECK(why(grantJson("1", kT0, kT0 + 480 * kMinute)).empty());
    // Starting in the future: a few minutes of skew are fine, more is not.
    CHECK(why(grantJson("1", kT0 + 5 * kMinute, kT0 + 65 * kMinute)).empty());
    CHECK(why(grantJson("1", kT0 + 5 * kMinute + 1, kT0 + 65 * kMinute)) ==
          "invalid: it starts in the future (grantedAt is 5 min ahead of this clock)");
    CHECK(why(grantJson("1", kT0 + 120 * kMinute, kT0 + 180 * kMinute)) ==
          "invalid: it starts in the future (grantedAt is 2h 0m ahead of this clock)");
}

// D6: random grants, accepted iff inside the policy.
TEST_CASE("consent grant: property test against the policy", "[consent][grant]") {
    std::mt19937_64 rng(20261124);
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    int live = 0, expired = 0, invalid = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t max = pick(0, 3) == 0 ? pick(1, 480) : 480;
        const std::int64_t now = kT0 + pick(-600, 600) * kMinute;
        const std::int64_t tier = pick(-1, 6);
        const std::int64_t grantedAt = kT0 + pick(-700, 700) * kMinute + pick(-1000, 1000);
        const std::int64_t expiresAt = grantedAt + pick(-10, 600) * kMinute + pick(-1000, 1000);
        std::string tierText = std::to_string(tier);
        bool tierOk = tier >= 1 && tier <= 4;
        switch (pick(0, 9)) {
        case 0: tierText = "\"" + tierText + "\""; tierOk = false; break;
        case 1: tierText += ".5"; tierOk = false; break;
        default: break;
        }
        auto text = grantJson(tierText, grantedAt, expiresAt);
        const bool inPolicy = tierOk && grantedAt > 0 && expiresAt > grantedAt &&
                              expiresAt - grantedAt <= max * kMinute && grantedAt <= now + 5 * kMinute;
        auto c = evaluateGrant(text, now, max);
        INFO(text << " now=" << now << " max=" << max);
        if (!inPolicy) {
            REQUIRE(c.state == GrantState::Invalid);
            ++invalid;
        } else if (now >= expiresAt) {
            REQUIRE(c.state == GrantState::Expired);
            ++expired;
        } else {
            REQUIRE(c.state == GrantState::Live);
            REQUIRE(c.grant.tier == tier);
            ++live;
        }
    }
    // The generator must exercise every outcome.
    CHECK(live > 500);
    CHECK(expired > 500);
    CHECK(invalid > 500);
}

TEST_CASE("consent grant: the file is written 0600 and read only if private", "[consent][grant]") {
    consent_unit::Fixture f;
    GrantStore store(f.grantFile());
    CHECK(store.read(kT0, 480).state == GrantState::Missing);
    store.write(Grant{2, kT0, kT0 + 30 * kMinute, "why"});
    CHECK(consent_unit::modeOf(f.grantFile()) == 0600);
    auto c = store.read(kT0, 480);
    CHECK(c.state == GrantState::Live);
    CHECK(c.raw == wt::readFile(f.grantFile()));

    ::chmod(f.grantFile().c_str(), 0644);
    CHECK(store.read(kT0, 480).why ==
          "unsafe: it has mode 0644, which lets others read or change it (it must be 0600)");
    ::chmod(f.grantFile().c_str(), 0600);

    CHECK(store.remove());
    CHECK_FALSE(store.remove());
    CHECK(store.read(kT0, 480).state == GrantState::Missing);

    // A symlink to a perfectly good grant is still refused.
    wt::writeFile(f.dir / "elsewhere.json", serializeGrant(Grant{4, kT0, kT0 + kMinute, ""}));
    REQUIRE(::symlink((f.dir / "elsewhere.json").c_str(), f.grantFile().c_str()) == 0);
    auto link = store.read(kT0, 480);
    CHECK(link.state == GrantState::Invalid);
    CHECK(link.why == "unsafe: it is a symbolic link");

    ::unlink(f.grantFile().c_str());
    wt::writeFile(f.grantFile(), std::string(5000, ' '));
    CHECK(store.read(kT0, 480).why == "unreadable: it is 5000 bytes, more than a state file can be");
}
