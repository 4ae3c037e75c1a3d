#include "app/log_sinks.hpp"

#include <wildws/common/text.hpp>
#include <wildws/secure.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wildws::host {

void EscapingSink::log(const spdlog::details::log_msg& msg) {
    std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string escaped = common::printable(payload);
    if (escaped == payload) return inner_->log(msg);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
    inner_->log(copy);
}

SafeFileSink::SafeFileSink(std::string dir, std::string name, std::size_t maxBytes, std::size_t keep,
                           ErrorHandler onError)
    : dir_(std::move(dir)), name_(std::move(name)), maxBytes_(maxBytes), keep_(keep), onError_(std::move(onError)) {}

SafeFileSink::~SafeFileSink() {
    if (fd_ >= 0) ::close(fd_);
}

void SafeFileSink::fail(const std::string& why) {
    failed_ = true;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (onError_) onError_("not writing " + path() + ": " + why);
}

bool SafeFileSink::open() {
    auto dir = ensurePrivateDir(dir_);
    if (!dir.ok()) {
        fail(dir.error);
        return false;
    }
    auto file = openAppendFile(path());
    if (!file.ok()) {
        fail(file.error);
        return false;
    }
    fd_ = file.fd;
    struct stat st {};
    size_ = ::fstat(fd_, &st) == 0 ? static_cast<std::size_t>(st.st_size) : 0;
    return true;
}

// <name>.log -> <name>.1.log -> ... -> <name>.<keep>.log (the oldest goes).
// rename() replaces a planted symlink rather than writing through it.
void SafeFileSink::rotate() {
    ::close(fd_);
    fd_ = -1;
    auto numbered = [&](std::size_t i) { return dir_ + "/" + name_ + "." + std::to_string(i) + ".log"; };
    for (std::size_t i = keep_; i > 1; --i) ::rename(numbered(i - 1).c_str(), numbered(i).c_str());
    if (keep_ > 0) ::rename(path().c_str(), numbered(1).c_str());
    else ::unlink(path().c_str());
    open();
}

void SafeFileSink::sink_it_(const spdlog::details::log_msg& msg) {
    if (failed_) return;
    if (fd_ < 0 && !open()) return;
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    if (size_ > 0 && size_ + line.size() > maxBytes_) {
        rotate();
        if (fd_ < 0) return;
    }
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(fd_, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(std::string("write failed: ") + std::strerror(errno));
        p += n;
        left -= static_cast<std::size_t>(n);
        size_ += static_cast<std::size_t>(n);
    }
}

} // namespace wildws::host
