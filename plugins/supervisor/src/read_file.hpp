// Reading the supervisor's small state files whole.
#pragma once

#include <optional>
#include <string>

namespace wildws::supervisor {

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> readWholeFile(const std::string& path);

} // namespace wildws::supervisor
