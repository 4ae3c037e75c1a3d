// One child process in a process group of its own, spawned without a shell.
//
// posix_spawn with POSIX_SPAWN_SETPGROUP (the child leads a new group, so one
// kill(-pgid) reaches its children too), an empty signal mask and default
// dispositions for every signal (the host blocks SIGINT/SIGTERM and ignores
// SIGPIPE; a child must not inherit that), pipes made with O_CLOEXEC and every
// other descriptor closed (closefrom 3). The leader is watched through a pidfd
// and observed with WNOWAIT, so it stays a zombie - and its pid cannot be
// reused - until reap(): signalling the group before reap() can never hit an
// unrelated process.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

/// An owned file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(o.release()) {}
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

struct SpawnSpec {
    std::vector<std::string> argv; // argv[0]: an absolute path
    std::vector<std::string> env;  // the complete environment, "NAME=value"
    std::string cwd;               // empty: inherit
    bool pipeStdin = false;        // false: stdin is /dev/null
};

class ProcessGroup {
public:
    /// Throws std::runtime_error with one line ("cannot start /x: No such file").
    static ProcessGroup spawn(const SpawnSpec& spec);

    ProcessGroup(ProcessGroup&&) noexcept;
    ProcessGroup& operator=(ProcessGroup&&) = delete;
    ProcessGroup(const ProcessGroup&) = delete;
    /// Safety net: a group that was never reaped is SIGKILLed and reaped here.
    ~ProcessGroup();

    pid_t pid() const { return pid_; }
    Fd& stdinPipe() { return in_; }
    Fd& stdoutPipe() { return out_; }
    Fd& stderrPipe() { return err_; }
    /// Readable when the leader has exited; -1 when pidfd_open is unsupported.
    int pidFd() const { return pidfd_.get(); }

    /// kill(-pgid, sig). A no-op after reap().
    void signalGroup(int sig);
    /// The leader's status once it has exited (exit code, or 128+signal),
    /// without reaping it. Never blocks.
    std::optional<int> exited();
    /// Waits for the leader and reaps it; returns its status as exited() does.
    int reap();
    bool reaped() const { return reaped_; }

private:
    ProcessGroup() = default;
    pid_t pid_ = -1;
    Fd in_, out_, err_, pidfd_;
    std::optional<int> status_;
    bool reaped_ = false;
};

/// Runs argv to completion (at most `timeoutMs`, then the group is killed) and
/// returns its stdout, or nullopt when it could not start, timed out or failed.
std::optional<std::string> captureOutput(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                         int timeoutMs);

} // namespace wildws::agent
