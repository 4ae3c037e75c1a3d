// OpenSSH StrictModes for plugin files: code that anyone else can replace
// must never be loaded.
#pragma once

#include <optional>
#include <string>

namespace wildws::host {

/// Why `path` (a plugin file or directory) is unsafe to load code from:
/// group- or world-writable, or owned by another user (root is fine).
/// nullopt when it is safe.
std::optional<std::string> unsafeReason(const std::string& path);

} // namespace wildws::host
