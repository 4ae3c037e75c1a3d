#include "plugins/file_safety.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wildws::host {

std::optional<std::string> unsafeReason(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return path + " cannot be checked: " + std::strerror(errno);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return path + " is " + ((st.st_mode & S_IWOTH) ? "world" : "group") + "-writable (mode " + mode +
               "), so another user could replace the code - run: chmod go-w " + path;
    if (st.st_uid != ::geteuid() && st.st_uid != 0)
        return path + " is owned by uid " + std::to_string(st.st_uid) + ", not by you (uid " +
               std::to_string(::geteuid()) + ") or root - chown it or remove it";
    return std::nullopt;
}

} // namespace wildws::host
