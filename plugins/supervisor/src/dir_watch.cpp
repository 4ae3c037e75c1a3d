#include "dir_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace wildws::supervisor {

DirWatch::DirWatch(const std::string& dir, std::set<std::string> names) : names_(std::move(names)) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
    if (::inotify_add_watch(fd_, dir.c_str(),
                            IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0) {
        int err = errno;
        ::close(fd_);
        fd_ = -1;
        throw std::system_error(err, std::generic_category(), "inotify_add_watch " + dir);
    }
}

DirWatch::~DirWatch() {
    if (fd_ >= 0) ::close(fd_);
}

std::set<std::string> DirWatch::drain() {
    std::set<std::string> changed;
    alignas(inotify_event) char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* e = reinterpret_cast<inotify_event*>(p);
            if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) gone_ = true;
            if (e->mask & IN_Q_OVERFLOW) changed = names_; // events were lost: look at every file
            if (e->len > 0) {
                std::string name(e->name);
                if (names_.count(name)) changed.insert(name);
            }
            p += sizeof(inotify_event) + e->len;
        }
    }
    return changed;
}

} // namespace wildws::supervisor
