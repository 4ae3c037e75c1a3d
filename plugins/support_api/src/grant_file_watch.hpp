// Tells at once when the grant file (support-consent.json) may have changed:
// an inotify watch on the home for writes, renames, deletes and attribute
// changes of that one name. A running support task re-reads the grant when
// it fires, so a revoke stops the task in milliseconds instead of at the
// next 250 ms look (which stays, for a grant that runs out by the clock).
//
// THREADS: one owner; fd() may be polled from the owner's thread only.
// If inotify is not available, fd() is -1 and the task keeps its 250 ms look.
#pragma once

#include <string>

namespace wildws::support {

class GrantFileWatch {
public:
    /// `home`: the directory holding support-consent.json.
    explicit GrantFileWatch(const std::string& home);
    ~GrantFileWatch();
    GrantFileWatch(const GrantFileWatch&) = delete;
    GrantFileWatch& operator=(const GrantFileWatch&) = delete;

    /// Readable when something happened; -1 without inotify.
    int fd() const { return fd_; }
    /// Reads the pending events; true when one concerned the grant file
    /// (or the queue overflowed, so it may have).
    bool drain();
    /// Waits up to `timeoutMs` for a change of the grant file, or for
    /// wake(); true on a change.
    bool wait(int timeoutMs);
    /// Ends a wait() from another thread at once.
    void wake();

private:
    int fd_ = -1;
    int wakeFd_ = -1;
};

} // namespace wildws::support
