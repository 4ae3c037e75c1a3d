// Small text helpers for what reaches JSON from untrusted sources (agent
// output, shell output, log files): valid UTF-8 only, cut on a character
// boundary, trimmed.
#pragma once

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

namespace wildws::support {

/// `text` with every invalid UTF-8 sequence replaced by U+FFFD, so any JSON
/// serialiser can take it.
std::string sanitizeUtf8(std::string_view text);

/// The first `maxChars` characters (code points) of valid UTF-8 `text`.
std::string cutChars(std::string_view text, std::size_t maxChars);

/// At most `maxBytes` bytes of valid UTF-8 `text`, never splitting a character.
std::string cutBytes(std::string_view text, std::size_t maxBytes);

/// Without leading and trailing ASCII whitespace.
std::string trim(std::string_view text);

/// An exception in one line (Poco's displayText() when it is a Poco one).
std::string describe(const std::exception& e);

/// Milliseconds since the epoch, wall clock.
long long nowMs();

} // namespace wildws::support
