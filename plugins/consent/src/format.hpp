// Text helpers for the consent plugin's output: durations, times, and
// making untrusted text safe to print on a terminal.
#pragma once

#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace wildws::consent {

/// "45 min", "1h 0m", "8h 0m" (rounded to the minute, as the seed did).
std::string formatDuration(std::int64_t ms);
/// A maximum in minutes: "8h" when whole hours, else as formatDuration.
std::string formatMaximum(std::int64_t minutes);
/// "2025-11-24T17:02:00.000Z" (the common clock's)
using common::isoUtc;
/// Local time for people: "2025-11-24 18:02:00 CET" (the common clock's).
using common::localTime;
/// Control, C1 and bidi characters (and U+2028/U+2029) as \n, \t or \uXXXX
/// so that text from a file or another plugin can never start a new line,
/// an escape sequence or a reordering on the terminal (the common text's).
using common::printable;
/// Bidi controls reorder what a person reads; reasons refuse them and the
/// audit writes them out as \u202e (the common text's).
using common::bidiControlAt;
using common::neutralizeBidi;
/// Quotes a word for a POSIX shell when it needs it.
std::string shellQuote(const std::string& word);

} // namespace wildws::consent
