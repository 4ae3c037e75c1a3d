// `/bin/sh -c <command>` for the tier-4 shell action, in a process group of
// its own so that one kill(-pgid) ends everything it started.
//
// posix_spawn (never Poco::Process: it cannot make a group and the child
// would inherit the host threads' blocked signals) with POSIX_SPAWN_SETPGROUP,
// an empty signal mask, default dispositions, stdin /dev/null, stdout and
// stderr on O_CLOEXEC pipes, every other descriptor closed, and the cwd set
// in the child. The leader is observed with waitid(WNOWAIT): it stays a
// zombie until reap(), so its pid - the group id - cannot be reused while we
// may still signal the group.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace wildws::support {

class ShellProcess {
public:
    /// Throws std::runtime_error with one line when it cannot start.
    ShellProcess(const std::string& command, const std::string& cwd, const std::vector<std::string>& env);
    ~ShellProcess(); // kills and reaps the group if still there
    ShellProcess(const ShellProcess&) = delete;
    ShellProcess& operator=(const ShellProcess&) = delete;

    pid_t pid() const { return pid_; }
    int stdoutFd() const { return out_; }
    int stderrFd() const { return err_; }
    void closeStdout();
    void closeStderr();

    /// kill(-pgid, sig); a no-op once reaped.
    void signalGroup(int sig);
    /// The exit status (code, or 128+signal) once the leader has exited,
    /// without reaping it.
    std::optional<int> exited();
    /// Reaps the leader (blocks until it exits).
    int reap();

private:
    pid_t pid_ = -1;
    int out_ = -1, err_ = -1;
    std::optional<int> status_;
    bool reaped_ = false;
};

/// The environment for a support shell: ours, without the wildws secrets.
std::vector<std::string> shellEnvironment();

} // namespace wildws::support
