// Writes a valid, hash-chained audit feed of N lines quickly (one buffered
// stream, the plugin's own line format). Entry i (0-based) has
// ts = startTs + i * 1000, action "probe-<i % 5>", tier 1 + i % 4,
// ok = (i % 7 != 0), actor "operator", detail "entry <i>".
#pragma once

#include <cstdint>
#include <string>

namespace consent_test {

constexpr std::int64_t kGenStartTs = 1700000000000;

/// Returns the last line's hash.
std::string generateAudit(const std::string& path, std::size_t lines, std::int64_t startTs = kGenStartTs);

} // namespace consent_test
