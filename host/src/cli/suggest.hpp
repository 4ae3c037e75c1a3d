#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

/// The candidate closest to `typed` (edit distance, or a unique prefix), if
/// it is close enough to be what the user meant.
std::optional<std::string> closest(const std::string& typed, const std::vector<std::string>& candidates);

} // namespace wildws::host
