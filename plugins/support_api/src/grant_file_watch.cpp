#include "grant_file_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace wildws::support {
namespace {

constexpr const char* kGrantFile = "support-consent.json";

} // namespace

GrantFileWatch::GrantFileWatch(const std::string& home) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ >= 0 &&
        ::inotify_add_watch(fd_, home.c_str(),
                            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | IN_MODIFY |
                                IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
        ::close(fd_);
        fd_ = -1;
    }
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

GrantFileWatch::~GrantFileWatch() {
    if (fd_ >= 0) ::close(fd_);
    if (wakeFd_ >= 0) ::close(wakeFd_);
}

bool GrantFileWatch::drain() {
    if (fd_ < 0) return false;
    bool changed = false;
    alignas(inotify_event) char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            if ((ev->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0) changed = true;
            else if (ev->len > 0 && std::strcmp(ev->name, kGrantFile) == 0) changed = true;
            p += sizeof(inotify_event) + ev->len;
        }
    }
    return changed;
}

bool GrantFileWatch::wait(int timeoutMs) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    int rc = ::poll(fds, 2, timeoutMs);
    if (rc <= 0) return false;
    if (fds[1].revents) {
        std::uint64_t v;
        while (::read(wakeFd_, &v, sizeof v) > 0) {
        }
    }
    return fds[0].revents ? drain() : false;
}

void GrantFileWatch::wake() {
    if (wakeFd_ < 0) return;
    std::uint64_t one = 1;
    ssize_t n = ::write(wakeFd_, &one, sizeof one);
    (void)n;
}

} // namespace wildws::support
