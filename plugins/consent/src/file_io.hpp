// Small POSIX file helpers shared by the consent files: read a state file
// only if it is safe to trust, remove a file durably.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace wildws::consent {

struct SafeRead {
    bool missing = false;       // no such file: not an error
    std::string unsafe;         // set: refused ("is a symbolic link", "mode 0644 lets others read it", ...)
    std::string error;          // set: unreadable ("cannot be read: ...", "is 9000 bytes, ...")
    std::string content;
};

/// Reads a small state file that must be a regular file owned by us with no
/// group/other permission bits (mode & 077 == 0). Never follows a symlink.
SafeRead readPrivateFile(const std::string& path, std::size_t maxBytes);

/// unlink() then fsync the directory. True when the file was there.
/// Throws std::system_error for any failure other than "not there".
bool removeDurably(const std::string& path);

/// The directory part of a path ("." when none).
std::string dirOf(const std::string& path);

/// errno as text.
std::string errnoText(int err);

} // namespace wildws::consent
