#include "rotating_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace wildws::supervisor {

RotatingFile::RotatingFile(std::string path, std::size_t maxBytes, std::size_t keep)
    : path_(std::move(path)), maxBytes_(maxBytes), keep_(keep) {
    open();
}

RotatingFile::~RotatingFile() {
    if (fd_ >= 0) ::close(fd_);
}

std::string RotatingFile::rotatedName(const std::string& path, std::size_t n) {
    const std::string ext = ".log";
    std::string base = path;
    if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0)
        base.resize(base.size() - ext.size());
    return base + "." + std::to_string(n) + ext;
}

void RotatingFile::open() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    size_ = 0;
    struct stat st {};
    if (fd_ >= 0 && ::fstat(fd_, &st) == 0) size_ = static_cast<std::size_t>(st.st_size);
}

void RotatingFile::rotate() {
    if (keep_ == 0) {
        ::unlink(path_.c_str());
    } else {
        ::unlink(rotatedName(path_, keep_).c_str());
        for (std::size_t n = keep_; n > 1; --n)
            std::rename(rotatedName(path_, n - 1).c_str(), rotatedName(path_, n).c_str());
        std::rename(path_.c_str(), rotatedName(path_, 1).c_str());
    }
    open();
}

void RotatingFile::write(std::string_view data) {
    if (data.empty()) return;
    if (maxBytes_ > 0 && size_ > 0 && size_ + data.size() > maxBytes_) rotate();
    if (fd_ < 0) return; // the log dir is gone or unwritable: output is dropped, the child lives on
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    size_ += done;
}

} // namespace wildws::supervisor
