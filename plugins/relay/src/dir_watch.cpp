#include "dir_watch.hpp"

#include <cerrno>
#include <system_error>

#include <sys/inotify.h>
#include <unistd.h>

namespace wildws::relay {

DirWatch::DirWatch() {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
}

DirWatch::~DirWatch() {
    if (fd_ >= 0) ::close(fd_);
}

void DirWatch::watch(const std::string& dir, const std::string& name) {
    int wd = ::inotify_add_watch(fd_, dir.c_str(),
                                 IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_ATTRIB);
    if (wd < 0) throw std::system_error(errno, std::generic_category(), "inotify_add_watch " + dir);
    names_.insert({wd, name});
    dirs_.insert({wd, dir});
}

std::set<std::string> DirWatch::drain() {
    std::set<std::string> out;
    alignas(inotify_event) char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            if (ev->len > 0) {
                std::string name(ev->name);
                if (names_.count({ev->wd, name}))
                    for (auto& [wd, dir] : dirs_)
                        if (wd == ev->wd) out.insert(dir + "/" + name);
            }
            p += sizeof(inotify_event) + ev->len;
        }
    }
    return out;
}

} // namespace wildws::relay
