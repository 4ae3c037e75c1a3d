// inotify on a few directories, for named files: operator.json appearing or
// going (operator enable/disable), wildws.ini edited, the audit feed
// appended. The daemon's poll() wakes on these instead of polling files.
#pragma once

#include <set>
#include <string>

namespace wildws::relay {

class DirWatch {
public:
    /// Throws std::system_error when inotify cannot be set up.
    DirWatch();
    ~DirWatch();
    DirWatch(const DirWatch&) = delete;
    DirWatch& operator=(const DirWatch&) = delete;
    /// Reports `name` in `dir` when it is closed after writing, renamed in or
    /// out, removed or chmod'ed (not on every write: a half-written file is no news).
    void watch(const std::string& dir, const std::string& name);
    int fd() const { return fd_; }
    /// Reads every pending event; returns "dir/name" of each watched file that changed.
    std::set<std::string> drain();

private:
    int fd_ = -1;
    std::set<std::pair<int, std::string>> names_; // (watch descriptor, name)
    std::set<std::pair<int, std::string>> dirs_;  // (watch descriptor, dir)
};

} // namespace wildws::relay
