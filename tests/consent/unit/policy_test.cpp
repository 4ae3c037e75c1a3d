#include "format.hpp"
#include "policy.hpp"

#include "unit_util.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace wildws::consent;

TEST_CASE("consent policy: --tier accepts exactly 1 to 4", "[consent][policy]") {
    CHECK(parseTier("1") == 1);
    CHECK(parseTier("2") == 2);
    CHECK(parseTier("3") == 3);
    CHECK(parseTier("4") == 4);
    for (const char* bad : {"0", "5", "2.5", "two", "", "-1", "01", "1 ", " 1", "+1", "1e0", "9", "44", "0x1"}) {
        INFO("tier '" << bad << "'");
        CHECK_FALSE(parseTier(bad).has_value());
    }
}

TEST_CASE("consent policy: --minutes must be a positive whole number", "[consent][policy]") {
    CHECK(parseMinutes("1").valid);
    CHECK(parseMinutes("1").minutes == 1);
    CHECK(parseMinutes("600").minutes == 600);
    auto huge = parseMinutes("99999999999999999999999999");
    CHECK(huge.valid);
    CHECK(huge.minutes > kHardMaxMinutes);
    // Saturated low enough that minutes * 60000 (what the CLI prints) cannot overflow (UBSan found it).
    CHECK(huge.saturated);
    CHECK(huge.minutes <= std::numeric_limits<std::int64_t>::max() / 60000);
    CHECK_FALSE(parseMinutes("600").saturated);
    CHECK(formatDuration(std::numeric_limits<std::int64_t>::max()).size() > 0);
    for (const char* bad : {"0", "-5", "1.5", "abc", "", " 5", "5m", "00"}) {
        INFO("minutes '" << bad << "'");
        CHECK_FALSE(parseMinutes(bad).valid);
    }
}

TEST_CASE("consent policy: max_minutes may only lower the 8h ceiling", "[consent][policy]") {
    const std::string section = "[plugin.consent]";
    CHECK(readMaxMinutes(std::nullopt, section).minutes == 480);
    CHECK(readMaxMinutes(std::string("90"), section).minutes == 90);
    CHECK(readMaxMinutes(std::string(" 90 "), section).minutes == 90);
    CHECK(readMaxMinutes(std::string("480"), section).warning.empty());

    auto above = readMaxMinutes(std::string("900"), section);
    CHECK(above.minutes == 480);
    CHECK(above.error.empty());
    CHECK(above.warning == "[plugin.consent] max_minutes = 900 is above the ceiling of 480 (8h): an admin may only "
                           "lower it; using 480");

    for (const char* bad : {"ten", "0", "-1", "1.5", ""}) {
        auto s = readMaxMinutes(std::string(bad), section);
        INFO("max_minutes '" << bad << "'");
        CHECK(s.error == std::string("[plugin.consent] max_minutes = '") + bad +
                             "': expected a whole number of minutes from 1 to 480; fix it in wildws.ini");
    }
}

TEST_CASE("consent policy: the usage lines and tier descriptions", "[consent][policy]") {
    CHECK(tierUsageLine() == "tier must be 1..4 (1 = read-only diagnostics/logs, 2 = curated fixes, 3 = let support "
                             "operate your agent, 4 = raw shell).");
    CHECK(minutesUsageLine(480) ==
          "minutes must be a positive whole number (e.g. --minutes 60); longer than the maximum (8h) is capped.");
    CHECK(minutesUsageLine(90) ==
          "minutes must be a positive whole number (e.g. --minutes 60); longer than the maximum (1h 30m) is capped.");
    CHECK(reasonUsageLine() == "reason must be 1..200 characters on one line (no control or bidi characters).");
    CHECK(tierDescription(1) == "read diagnostics + logs only");
    CHECK(tierDescription(2) == "read diagnostics/logs + run curated fixes (like restarting the server)");
    CHECK(tierDescription(3) == "read diagnostics/logs + curated fixes + operate your agent on a task");
    CHECK(tierDescription(4) ==
          "read diagnostics/logs + curated fixes + operate your agent + run raw shell commands");
    CHECK(tierDescription(0).empty());
    CHECK(tierDescription(5).empty());
}

TEST_CASE("consent policy: reasons are one short line", "[consent][policy]") {
    CHECK(reasonIsValid("sync is broken"));
    CHECK(reasonIsValid(std::string(200, 'a')));
    CHECK_FALSE(reasonIsValid(std::string(201, 'a')));
    CHECK_FALSE(reasonIsValid(""));
    CHECK_FALSE(reasonIsValid("two\nlines"));
    CHECK_FALSE(reasonIsValid("tab\there"));
    CHECK_FALSE(reasonIsValid("sep\xE2\x80\xA8here"));
    CHECK(reasonIsValid("caf\xC3\xA9"));
    // Bidi controls would reorder what the owner reads: refused, each of them.
    for (const char* bidi : {"\xE2\x80\xAE", "\xE2\x80\xAA", "\xE2\x80\xAD", "\xE2\x81\xA6", "\xE2\x81\xA9",
                             "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C"}) {
        INFO(bidi);
        CHECK_FALSE(reasonIsValid(std::string("fix ") + bidi + "txt.exe"));
    }
    CHECK(reasonIsValid("\xE2\x80\x94 an em dash is fine"));
}

TEST_CASE("consent format: durations, times, terminal safety", "[consent][format]") {
    consent_unit::utc();
    CHECK(formatDuration(0) == "0 min");
    CHECK(formatDuration(-5) == "0 min");
    CHECK(formatDuration(59 * 60000 + 29000) == "59 min");
    CHECK(formatDuration(60 * 60000) == "1h 0m");
    CHECK(formatDuration(90 * 60000) == "1h 30m");
    CHECK(formatDuration(480 * 60000) == "8h 0m");
    CHECK(formatMaximum(480) == "8h");
    CHECK(formatMaximum(90) == "1h 30m");
    CHECK(formatMaximum(45) == "45 min");
    CHECK(isoUtc(1700000000000) == "2023-11-14T22:13:20.000Z");
    CHECK(isoUtc(1700000000123) == "2023-11-14T22:13:20.123Z");
    CHECK(localTime(consent_unit::kT0) == "2026-01-01 00:00:00 UTC");
    CHECK(printable("a\nb\r\tc\x01\x7f") == "a\\nb\\r\\tc\\u0001\\u007f");
    CHECK(printable("x\xE2\x80\xA8y\xE2\x80\xA9z") == "x\\u2028y\\u2029z");
    CHECK(printable("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(printable("a\xE2\x80\xAE" "exe.txt") == "a\\u202eexe.txt");
    CHECK(neutralizeBidi("\xE2\x81\xA6x\xE2\x81\xA9 \xD8\x9C \xE2\x80\x8F") == "\\u2066x\\u2069 \\u061c \\u200f");
    CHECK(neutralizeBidi("caf\xC3\xA9 \xE2\x80\x94") == "caf\xC3\xA9 \xE2\x80\x94");
    CHECK(neutralizeBidi("cut \xE2\x80") == "cut \xE2\x80");
    CHECK(shellQuote("fix") == "fix");
    CHECK(shellQuote("fix the sync") == "'fix the sync'");
    CHECK(shellQuote("it's") == "'it'\\''s'");
    CHECK(shellQuote("$(rm -rf)") == "'$(rm -rf)'");
}

TEST_CASE("consent clock: the test hook reads whole ms only", "[consent][clock]") {
    auto none = clockFromEnvironment(nullptr);
    CHECK(none.logLine.empty());
    CHECK(none.clock->note().empty());
    auto pinned = clockFromEnvironment("1767225600000");
    CHECK(pinned.clock->nowMs() == 1767225600000);
    CHECK(pinned.clock->note() == "pinned by the test hook WILDWS_TEST_NOW_MS=1767225600000");
    CHECK_FALSE(pinned.warn);
    for (const char* bad : {"abc", "-5", "12.5", "0", "1767225600000x"}) {
        auto c = clockFromEnvironment(bad);
        INFO(bad);
        CHECK(c.warn);
        CHECK(c.clock->note().empty());
        CHECK(c.logLine == std::string("WILDWS_TEST_NOW_MS = '") + bad +
                               "' is not a whole number of ms since the epoch; using the real clock");
    }
}
