// Starting and ending processes with posix_spawn, never fork() from a
// threaded process and never Poco::Process (no process group, signal mask
// inherited from Poco threads):
// - each supervised child leads a new process group, so a stop reaches the
//   grandchildren too (kill(-pgid));
// - the child starts with an empty signal mask and default dispositions (the
//   supervisor blocks SIGINT/SIGTERM/SIGHUP and ignores SIGPIPE);
// - fds 3.. are closed in the child (addclosefrom_np): the lock fd, the
//   inotify fd and other children's pipes never leak;
// - a pidfd is opened at once, so the exit is seen by poll() with no delay
//   and no SIGCHLD handler.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wildws::supervisor {

struct SpawnedChild {
    int pid = -1;
    int pidfd = -1;              // readable when the child exits
    int outFd = -1;              // read end of the child's stdout+stderr, non-blocking
    std::uint64_t startTime = 0; // /proc/<pid>/stat field 22
};

/// A supervised child: new process group, stdin /dev/null, stdout and stderr
/// into one pipe. Throws std::system_error when it cannot be started.
SpawnedChild spawnSupervised(const std::vector<std::string>& argv);

/// A detached process: new session (no controlling terminal), cwd "/",
/// stdin /dev/null, stdout and stderr appended to `logPath`. Returns its pid
/// (the caller is its parent until it exits). Throws std::system_error.
int spawnDetached(const std::vector<std::string>& argv, const std::string& logPath);

struct ExitStatus {
    bool known = false;  // false: not our child, we could not wait for it
    bool signaled = false;
    int code = 0;        // exit code when !signaled
    int signal = 0;      // the signal when signaled
    bool coreDumped = false;
};

ExitStatus decodeWaitStatus(int status);
/// "code 1", "signal SIGSEGV", "unknown".
std::string describe(const ExitStatus& status);

/// waitpid(pid, WNOHANG): the status once the child has exited, else !known.
ExitStatus reap(int pid);

/// kill(-pgid, sig); ignores ESRCH (the group is already empty).
void signalGroup(int pgid, int signal);

} // namespace wildws::supervisor
