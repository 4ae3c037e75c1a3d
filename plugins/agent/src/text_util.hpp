// Small text helpers: agent output is arbitrary bytes, chunks carry UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace wildws::agent {

/// `in` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string validUtf8(std::string_view in);

/// At most `maxBytes` bytes of `in`, cut on a code point boundary, with "…"
/// appended when something was cut.
std::string truncateUtf8(std::string_view in, std::size_t maxBytes);

std::string trim(std::string_view in);

} // namespace wildws::agent
