// inotify on the home directory: a request file dropped there (by the
// daemon's restart-server action or by `always-on start`) wakes the
// supervisor's poll() at once, instead of a poll loop finding it up to one
// interval later. Only names the caller asked for are reported.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace wildws::supervisor {

class DirWatch {
public:
    /// Watches `dir` for files in `names` that are renamed into place or
    /// closed after writing. Throws std::system_error when inotify fails.
    DirWatch(const std::string& dir, std::set<std::string> names);
    ~DirWatch();
    DirWatch(const DirWatch&) = delete;
    DirWatch& operator=(const DirWatch&) = delete;

    int fd() const { return fd_; }
    /// Reads every pending event; returns the watched names that changed.
    std::set<std::string> drain();
    /// True once the directory itself was deleted or moved away.
    bool directoryGone() const { return gone_; }

private:
    int fd_ = -1;
    std::set<std::string> names_;
    bool gone_ = false;
};

} // namespace wildws::supervisor
