// A request handed from one process to another through a file in the home:
// placed atomically and never over a pending one (so two requests cannot
// silently become one), and taken exactly once (rename to a private name
// first, so a request placed while we read is a new file, not lost).
#pragma once

#include <optional>
#include <string>

namespace wildws::supervisor {

enum class Placed { Yes, AlreadyPending };

/// Writes `content` to a private temp file (0600, fsynced), then renames it
/// to `path` only if `path` does not exist. Throws std::system_error.
Placed placeRequest(const std::string& path, const std::string& content);

/// Moves `path` aside and returns its content; nullopt when there is none.
std::optional<std::string> takeRequest(const std::string& path);

} // namespace wildws::supervisor
