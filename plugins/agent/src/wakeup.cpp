#include "wakeup.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace wildws::agent {

Wakeup::Wakeup() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)), error_(fd_ < 0 ? errno : 0) {}

void Wakeup::check() const {
    if (error_ != 0) throw std::runtime_error(std::string("cannot make an eventfd: ") + std::strerror(error_));
}

Wakeup::~Wakeup() { close(); }

void Wakeup::ring() {
    std::lock_guard lock(m_);
    if (fd_ < 0) return;
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

void Wakeup::drain() {
    std::uint64_t v;
    [[maybe_unused]] auto n = ::read(fd_, &v, sizeof v);
}

void Wakeup::close() {
    std::lock_guard lock(m_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

} // namespace wildws::agent
