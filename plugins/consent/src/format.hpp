// Text helpers for the consent plugin's output: durations, times, and
// making untrusted text safe to print on a terminal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wildws::consent {

/// "45 min", "1h 0m", "8h 0m" (rounded to the minute, as the seed did).
std::string formatDuration(std::int64_t ms);
/// A maximum in minutes: "8h" when whole hours, else as formatDuration.
std::string formatMaximum(std::int64_t minutes);
/// "2025-11-24T17:02:00.000Z"
std::string isoUtc(std::int64_t ms);
/// Local time for people: "2025-11-24 18:02:00 CET".
std::string localTime(std::int64_t ms);
/// Control characters (and U+2028/U+2029) as \n, \t or \u00XX so that text
/// from a file or another plugin can never start a new line on the terminal;
/// bidi controls as \u202e etc. (see neutralizeBidi).
std::string printable(std::string_view text);
/// The length in bytes of the bidirectional control character (U+061C,
/// U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) starting at `text[i]`, or 0.
/// They reorder what a person reads ("txt.exe" shown as "exe.txt"), so text
/// shown to the owner never carries them.
std::size_t bidiControlAt(std::string_view text, std::size_t i);
/// `text` with every bidi control written out as "\u202e" (visible, inert).
std::string neutralizeBidi(std::string_view text);
/// Quotes a word for a POSIX shell when it needs it.
std::string shellQuote(const std::string& word);

} // namespace wildws::consent
