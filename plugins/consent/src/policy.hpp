// The consent rules in one place: tiers, what each tier lets support do,
// how long a grant may last, and how the CLI's words are read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::consent {

constexpr int kMinTier = 1;
constexpr int kMaxTier = 4;
/// Tiers from here on let support operate the machine: they need --yes.
constexpr int kOperateTier = 3;
constexpr std::int64_t kDefaultMinutes = 60;
/// The ceiling: 8 h. An admin may lower it ([plugin.consent] max_minutes), never raise it.
constexpr std::int64_t kHardMaxMinutes = 8 * 60;
/// How far in the future grantedAt may be (clock skew between processes).
constexpr std::int64_t kFutureSkewMs = 5 * 60 * 1000;
/// The longest --reason, in bytes.
constexpr std::size_t kMaxReasonBytes = 200;

/// "read diagnostics + logs only", ...; "" for a tier outside 1..4.
std::string tierDescription(int tier);
/// What support may do at a tier, as the refusal without --yes says it:
/// "operate the agent on" / "run shell commands on".
std::string operateVerb(int tier);

/// The one line that lists the tiers, printed for every bad --tier.
std::string tierUsageLine();
/// The one line printed for every bad --minutes.
std::string minutesUsageLine(std::int64_t maxMinutes);
/// The one line printed for a bad --reason.
std::string reasonUsageLine();

/// An integer 1..4 written as plain decimal digits, else nullopt.
std::optional<int> parseTier(const std::string& text);

/// Where a typed --minutes saturates: far above any maximum, and small enough
/// that minutes * 60000 (ms) cannot overflow an int64 anywhere it is used.
constexpr std::int64_t kMinutesSaturation = 1000000000; // ~1900 years
struct MinutesValue {
    bool valid = false;           // a positive whole number
    std::int64_t minutes = 0;     // when valid; at most kMinutesSaturation
    bool saturated = false;       // the text said more than kMinutesSaturation
};
MinutesValue parseMinutes(const std::string& text);

/// True when the reason is fine: 1..200 bytes, one line, no control characters,
/// no bidi controls (U+202E would reorder what the owner reads).
bool reasonIsValid(const std::string& reason);

/// [plugin.consent] max_minutes, read.
struct MaxMinutesSetting {
    std::int64_t minutes = kHardMaxMinutes;
    std::string error;   // set: the value is unusable; grants are refused and none is live
    std::string warning; // set: the value was above the ceiling and was lowered to it
};
/// `raw` is the config value (nullopt when unset); `section` is "[plugin.consent]".
MaxMinutesSetting readMaxMinutes(const std::optional<std::string>& raw, const std::string& section);

} // namespace wildws::consent
