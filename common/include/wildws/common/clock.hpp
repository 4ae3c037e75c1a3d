// One clock for the first-party plugins: wall time in ms since the epoch
// (what files and wire formats carry), a monotonic clock for timers (a
// wall-clock jump must not shorten or stretch them), and ISO 8601 UTC text.
// Every function is thread-safe and never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wildws::common {

/// Wall clock, ms since the epoch.
std::int64_t nowMs();
/// A clock that never jumps, ms from an arbitrary start.
std::int64_t monotonicMs();

/// "2026-12-01T08:27:59.123Z" ("?" when the time cannot be represented).
std::string isoUtc(std::int64_t msSinceEpoch);
/// "2026-12-01T08:27:59Z": whole seconds, for people to read.
std::string isoUtcSeconds(std::int64_t msSinceEpoch);
/// The one human format for a time in text output, in the local zone:
/// "2025-11-24 18:02:00 CET" ("?" when it cannot be represented).
std::string localTime(std::int64_t msSinceEpoch);
/// A duration for people to read, as limits are named in messages: "5 s"
/// when it is whole seconds, else "250 ms".
std::string durationText(std::int64_t ms);
/// The ms since the epoch of "YYYY-MM-DDTHH:MM:SS[.f...]Z" (a lowercase 't'
/// or 'z', or a space for the 'T', are accepted; no other offset than Z).
/// nullopt when the text is anything else or names no real date.
std::optional<std::int64_t> parseIsoUtc(std::string_view text);

} // namespace wildws::common
