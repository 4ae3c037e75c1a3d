#include "task_lock.hpp"

#include <wildws/common/json.hpp>
#include "recorder.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace wildws::support {

std::unique_ptr<TaskLock> TaskLock::tryAcquire(const std::string& dir, const std::string& taskId,
                                               const std::string& path, std::string& holder) {
    ensurePrivateDir(dir);
    const std::string file = dir + "/.task.lock";
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + file + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[1024];
        ssize_t n = ::pread(fd, buf, sizeof buf, 0);
        ::close(fd);
        auto o = n > 0 ? json::parseObject(std::string_view(buf, static_cast<std::size_t>(n))) : nullptr;
        holder = "a support task is already running";
        if (o)
            holder += " (task '" + json::getString(o, "taskId").value_or("?") + "' in " +
                      json::getString(o, "path").value_or("?") + ", pid " +
                      std::to_string(json::getInt(o, "pid").value_or(0)) + ")";
        holder += "; one task at a time - wait for it to end or stop it";
        return nullptr;
    }
    auto o = json::object();
    o->set("taskId", common::sanitizeUtf8(taskId));
    o->set("path", path);
    o->set("pid", static_cast<int>(::getpid()));
    o->set("startedAt", static_cast<Poco::Int64>(common::nowMs()));
    std::string text = json::toText(o) + "\n";
    // Best effort: the lock is what counts, the text only names the holder.
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] auto w = ::pwrite(fd, text.data(), text.size(), 0);
    }
    return std::unique_ptr<TaskLock>(new TaskLock(fd));
}

TaskLock::~TaskLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
}

} // namespace wildws::support
