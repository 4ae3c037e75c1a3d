// One UTF-8/text module for the first-party plugins. Whatever reaches JSON,
// a log line or a terminal from an untrusted source (agent output, shell
// output, files, request bodies) goes through here. All functions are pure,
// thread-safe, and never throw (but for allocation).
#pragma once

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

namespace wildws::common {

/// "…" (U+2026), the mark of a cut.
inline constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
/// values past U+10FFFF).
bool isValidUtf8(std::string_view text);
/// `text` with every byte that does not start a well-formed sequence
/// replaced by U+FFFD, so any JSON serialiser can take it.
std::string sanitizeUtf8(std::string_view text);

/// At most `maxBytes` bytes of `text`, never splitting a character.
std::string cutUtf8(std::string_view text, std::size_t maxBytes);
/// At most `maxBytes` bytes in all: when `text` is longer it is cut on a
/// character boundary and "…" is appended within the budget.
std::string truncateUtf8(std::string_view text, std::size_t maxBytes);
/// A preview: the first `maxBytes` bytes of `text` (character boundary),
/// with "…" appended AFTER them when something was cut.
std::string shortenUtf8(std::string_view text, std::size_t maxBytes);
/// The first `maxChars` characters (code points) of UTF-8 `text`.
std::string cutChars(std::string_view text, std::size_t maxChars);

/// Without leading and trailing ASCII whitespace.
std::string trim(std::string_view text);

/// One line that is safe in a log, a terminal or a reason: `\n` `\r` `\t`
/// as those two characters, every other C0 control, DEL and ESC as `\u00XX`,
/// the C1 controls (U+0080-U+009F), the bidi controls (U+061C, U+200E,
/// U+200F, U+202A-U+202E, U+2066-U+2069) and the line/paragraph separators
/// (U+2028, U+2029) as `\uXXXX`, a backslash as itself, and a byte that is
/// not valid UTF-8 as `\xNN`. Nothing in the result can move the cursor,
/// start an escape sequence, reorder text or break the line.
std::string printable(std::string_view text);

/// The length in bytes of the bidirectional control character (U+061C,
/// U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) that starts at `text[i]`,
/// or 0. They reorder what a person reads ("txt.exe" shown as "exe.txt"), so
/// text shown to the owner never carries them.
std::size_t bidiControlAt(std::string_view text, std::size_t i);
/// `text` with every bidi control written out as `\u202e` (visible, inert);
/// everything else, invalid bytes included, as it was.
std::string neutralizeBidi(std::string_view text);

/// An exception in one line (Poco's displayText() when it is a Poco one).
std::string describe(const std::exception& e);

} // namespace wildws::common
