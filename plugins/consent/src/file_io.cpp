#include "file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace wildws::consent {

std::string errnoText(int err) { return std::generic_category().message(err); }

std::string dirOf(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

SafeRead readPrivateFile(const std::string& path, std::size_t maxBytes) {
    SafeRead r;
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT) r.missing = true;
        else if (e == ELOOP) r.unsafe = "is a symbolic link";
        else r.error = "cannot be opened: " + errnoText(e);
        return r;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        r.error = "cannot be examined: " + errnoText(errno);
    } else if (!S_ISREG(st.st_mode)) {
        r.unsafe = "is not a regular file";
    } else if (st.st_uid != ::geteuid()) {
        r.unsafe = "is owned by uid " + std::to_string(st.st_uid) + ", not by you";
    } else if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        r.unsafe = std::string("has mode ") + mode + ", which lets others read or change it (it must be 0600)";
    } else if (static_cast<std::size_t>(st.st_size) > maxBytes) {
        r.error = "is " + std::to_string(st.st_size) + " bytes, more than a state file can be";
    } else {
        std::string buf(static_cast<std::size_t>(st.st_size) + 1, '\0');
        std::size_t got = 0;
        while (got < buf.size()) {
            ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                r.error = "cannot be read: " + errnoText(errno);
                break;
            }
            if (n == 0) break;
            got += static_cast<std::size_t>(n);
        }
        if (r.error.empty()) {
            if (got > maxBytes) r.error = "grew past " + std::to_string(maxBytes) + " bytes while being read";
            else r.content = buf.substr(0, got);
        }
    }
    ::close(fd);
    return r;
}

bool removeDurably(const std::string& path) {
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return false;
        throw std::system_error(errno, std::generic_category(), "cannot remove " + path);
    }
    std::string dir = dirOf(path);
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

} // namespace wildws::consent
