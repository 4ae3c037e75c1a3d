// One support agent-task at a time, across serve and the daemon: an
// exclusive flock on support-sessions/.task.lock, held for the task's life.
// The kernel drops it when the holder dies, so a crash never leaves the
// channel "busy". The fd is O_CLOEXEC so the agent never inherits it.
// The file names the holder (taskId, process, start) for the 409 message.
#pragma once

#include <memory>
#include <string>

namespace wildws::support {

class TaskLock {
public:
    /// The lock, or null when another task holds it (then `holder` says
    /// which, in one line). Throws std::runtime_error if the file cannot be
    /// opened.
    static std::unique_ptr<TaskLock> tryAcquire(const std::string& dir, const std::string& taskId,
                                                const std::string& path, std::string& holder);
    ~TaskLock();
    TaskLock(const TaskLock&) = delete;
    TaskLock& operator=(const TaskLock&) = delete;

private:
    explicit TaskLock(int fd) : fd_(fd) {}
    int fd_;
};

} // namespace wildws::support
