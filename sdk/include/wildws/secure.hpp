// wildws SDK - small security helpers every plugin should use, not rewrite.
//
// State files (grants, audit, pid files, logs, the config) live in a
// directory another local user or a buggy tool may have tampered with. The
// helpers below are the one place that opens them: never through a symlink
// (unless the caller says so), regular files only (a FIFO would block the
// reader forever, /dev/zero would be read until memory runs out), owned by
// you, never group/world-writable, and capped in size.
//
// THREADS: every function here is safe to call from any thread; none keeps
// state between calls. ERRORS: readStateFile, openAppendFile and
// ensurePrivateDir never throw; they return a FileProblem and one line
// (what, why, what to do) that can be shown to the user as it is.
// writeFileAtomic throws std::system_error (unchanged since ABI 1).
#pragma once

#include <wildws/export.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace wildws {

/// Compares two secrets in time that depends on neither their contents nor
/// their lengths (it compares SHA-256 digests). Empty never equals anything.
WILDWS_EXPORT bool constantTimeEquals(std::string_view given, std::string_view expected);

/// `bytes` random bytes from the kernel, base64url without padding.
WILDWS_EXPORT std::string randomToken(std::size_t bytes = 32);

/// Writes `content` to `path` atomically with mode 0600: a temp file in the
/// same directory (O_EXCL, O_NOFOLLOW, `<path>.tmp.<pid>.<random>`, flocked
/// by its writer), fsync, rename over `path`, fsync of the directory. Before
/// it creates its own temp file it removes the temp files of `path` left by
/// writers that are gone (killed mid-write): a temp file is stale when the
/// pid in its name is dead, or when nobody holds its lock and it is older
/// than 10 s (the pid was reused by an unrelated process). A live writer
/// holds its lock from right after creation, so it is never touched.
/// Throws std::system_error naming the path on failure.
WILDWS_EXPORT void writeFileAtomic(const std::string& path, std::string_view content);

/// Why a safe file operation did not succeed.
enum class FileProblem {
    None,       // success
    Missing,    // the file (or directory) does not exist
    NotRegular, // a FIFO, a device, a socket, a directory where a file belongs (or a file where a directory belongs)
    Symlink,    // a symbolic link where none is allowed
    Unsafe,     // owned by another user, or group/world-writable (or readable, with privateOnly)
    TooLarge,   // larger than the caller's cap
    Io,         // any other system error (permissions, I/O)
};

/// The outcome of readStateFile.
struct StateFileRead {
    FileProblem problem = FileProblem::None;
    std::string content; // the whole file, when problem == None
    std::string error;   // one line naming the path, the reason and the fix, otherwise
    bool ok() const { return problem == FileProblem::None; }
};

struct StateFileOptions {
    std::size_t maxBytes = 1 << 20; // the file may hold at most this many bytes
    /// Config files may be a symlink to a file of your own (dotfile
    /// managers do that); the file it points to gets every check. State
    /// files written by wildws leave this false: a symlink is refused.
    bool followSymlink = false;
    /// Also refuse group/world-readable files (secrets, grants).
    bool privateOnly = false;
};

/// Reads a state file whole: open(O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC), fstat
/// of the open fd (so the checks and the read see the same file): a regular
/// file, owned by you (or root), not group/world-writable, at most maxBytes.
/// Never blocks on a FIFO, never reads a device.
WILDWS_EXPORT StateFileRead readStateFile(const std::string& path, const StateFileOptions& options = {});

/// The outcome of openAppendFile. OWNERSHIP: `fd` (>= 0 only on success)
/// belongs to the caller, who closes it. It is O_CLOEXEC, so no child
/// inherits it.
struct AppendFile {
    int fd = -1;
    FileProblem problem = FileProblem::None;
    std::string error;
    bool ok() const { return problem == FileProblem::None; }
};

/// Opens a log or audit file for appending: its directory must pass
/// ensurePrivateDir's checks (without creating it), and the file is opened
/// relative to that directory with O_NOFOLLOW|O_APPEND|O_CREAT, mode 0600,
/// then fstat'ed: a regular file owned by you, not group/world-writable.
/// A symlink, a FIFO or a device in its place is refused.
WILDWS_EXPORT AppendFile openAppendFile(const std::string& path);

/// The outcome of ensurePrivateDir.
struct DirCheck {
    FileProblem problem = FileProblem::None;
    std::string error;
    bool created = false; // the directory did not exist and was made (0700)
    bool ok() const { return problem == FileProblem::None; }
};

/// Checks a state directory, creating it (and its missing parents) with mode
/// 0700 when `create` and it does not exist: it must be a real directory
/// (not a symlink), owned by you, and not group/world-writable. Existing
/// group/world-readable directories are accepted (the files inside are
/// 0600); the error for a writable one names the fix (`chmod 700 DIR`).
WILDWS_EXPORT DirCheck ensurePrivateDir(const std::string& path, bool create = true);

} // namespace wildws
