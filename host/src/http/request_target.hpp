// The request target, decoded exactly once: the path is split on '/' while
// still encoded, then each segment is percent-decoded, so "%2F" stays inside
// a segment and "%252e" reaches a handler as "%2e", never as ".".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wildws::host {

/// Strict percent-decoding: every '%' must be followed by two hex digits.
/// nullopt on a bad escape. In a query, '+' means a space.
std::optional<std::string> percentDecode(std::string_view text, bool plusAsSpace = false);

struct RequestTarget {
    std::string path;                  // decoded, for logs and static files
    std::vector<std::string> segments; // decoded one by one; "" segments dropped
    std::map<std::string, std::string> query;
};

/// `originForm` is "/path?query" (framing checks made sure of that).
/// nullopt: a bad percent-escape somewhere.
std::optional<RequestTarget> parseTarget(std::string_view originForm);

} // namespace wildws::host
