// The supervisor's use of the SDK's child processes (wildws/process.hpp:
// posix_spawn, a new process group, a clean signal state, only fds 0-2, a
// pidfd) and its own policy on top:
// - a supervised child leads a new process group, so a stop reaches the
//   grandchildren too; its stdout and stderr share one pipe, read into the
//   child's log;
// - `always-on start` launches the supervisor detached (new session, cwd "/",
//   output appended to its log) and only waits to see it come up;
// - exit statuses are described for people ("code 1", "signal SIGSEGV").
#pragma once

#include <wildws/process.hpp>

#include <string>
#include <vector>

namespace wildws::supervisor {

/// A supervised child: new process group, stdin /dev/null, stdout and stderr
/// into one pipe (stdoutFd()), our environment. Throws std::runtime_error
/// ("cannot start /x: No such file or directory").
ChildProcess spawnSupervised(const std::vector<std::string>& argv);

/// A detached process: new session (no controlling terminal), cwd "/",
/// stdin /dev/null, stdout and stderr appended to `logPath`. Returns its pid
/// (the caller is its parent until it exits). Throws std::runtime_error.
int spawnDetached(const std::vector<std::string>& argv, const std::string& logPath);

struct ExitStatus {
    bool known = false;  // false: not our child, we could not wait for it
    bool signaled = false;
    int code = 0;        // exit code when !signaled
    int signal = 0;      // the signal when signaled
    bool coreDumped = false;
};

ExitStatus decodeWaitStatus(int status);
/// The SDK's status as ours (known).
ExitStatus fromProcessExit(const wildws::ExitStatus& status);
/// "code 1", "signal SIGSEGV", "unknown".
std::string describe(const ExitStatus& status);

/// waitpid(pid, WNOHANG): the status once the child has exited, else !known.
ExitStatus reap(int pid);

/// kill(-pgid, sig); ignores ESRCH (the group is already empty).
void signalGroup(int pgid, int signal);

} // namespace wildws::supervisor
