// How another thread wakes a runner out of poll(): an eventfd in the
// runner's poll set. ring() may be called from any thread, at any time; once
// close()d (the runner has ended and gives its descriptors back) a ring is a
// no-op, never a write to a recycled descriptor.
#pragma once

#include <mutex>

namespace wildws::agent {

class Wakeup {
public:
    /// Never throws: check() before the runner depends on it.
    Wakeup();
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    /// Throws std::runtime_error ("cannot make an eventfd: ...") when the
    /// eventfd could not be made.
    void check() const;
    /// For the runner's poll set (POLLIN); -1 once closed.
    int fd() const { return fd_; }
    void ring();
    /// The runner, after poll() said fd() is readable.
    void drain();
    void close();

private:
    std::mutex m_;
    int fd_ = -1;
    int error_ = 0;
};

} // namespace wildws::agent
