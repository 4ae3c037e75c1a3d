#include "child_process.hpp"

#include "proc.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

extern char** environ;

namespace wildws::supervisor {
namespace {

struct Argv {
    explicit Argv(const std::vector<std::string>& v) {
        for (auto& s : v) ptrs.push_back(const_cast<char*>(s.c_str()));
        ptrs.push_back(nullptr);
    }
    std::vector<char*> ptrs;
};

// posix_spawn attributes shared by both kinds of spawn: a clean signal
// state. `flags` adds the group/session choice.
class Attr {
public:
    explicit Attr(short flags) {
        posix_spawnattr_init(&attr_);
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all); // glibc leaves out its internal signals
        sigdelset(&all, SIGKILL);
        sigdelset(&all, SIGSTOP);
        posix_spawnattr_setsigmask(&attr_, &none);
        posix_spawnattr_setsigdefault(&attr_, &all);
        if (flags & POSIX_SPAWN_SETPGROUP) posix_spawnattr_setpgroup(&attr_, 0);
        posix_spawnattr_setflags(&attr_, static_cast<short>(flags | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
    }
    ~Attr() { posix_spawnattr_destroy(&attr_); }
    posix_spawnattr_t* get() { return &attr_; }

private:
    posix_spawnattr_t attr_;
};

class FileActions {
public:
    FileActions() { posix_spawn_file_actions_init(&fa_); }
    ~FileActions() { posix_spawn_file_actions_destroy(&fa_); }
    posix_spawn_file_actions_t* get() { return &fa_; }

private:
    posix_spawn_file_actions_t fa_;
};

[[noreturn]] void fail(int err, const std::string& what) { throw std::system_error(err, std::generic_category(), what); }

} // namespace

SpawnedChild spawnSupervised(const std::vector<std::string>& argv) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) fail(errno, "pipe2");
    FileActions fa;
    posix_spawn_file_actions_addopen(fa.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(fa.get(), pipeFds[1], 1);
    posix_spawn_file_actions_adddup2(fa.get(), pipeFds[1], 2);
    posix_spawn_file_actions_addclosefrom_np(fa.get(), 3);
    Attr attr(POSIX_SPAWN_SETPGROUP);
    Argv args(argv);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0].c_str(), fa.get(), attr.get(), args.ptrs.data(), environ);
    ::close(pipeFds[1]);
    if (rc != 0) {
        ::close(pipeFds[0]);
        fail(rc, "cannot start " + argv[0]);
    }
    SpawnedChild c;
    c.pid = pid;
    c.outFd = pipeFds[0];
    ::fcntl(c.outFd, F_SETFL, ::fcntl(c.outFd, F_GETFL) | O_NONBLOCK);
    // Our own unreaped child cannot be replaced by another process with the
    // same pid, so opening the pidfd after the spawn is race-free.
    c.pidfd = pidfdOpen(pid);
    c.startTime = processStartTime(pid).value_or(0);
    return c;
}

int spawnDetached(const std::vector<std::string>& argv, const std::string& logPath) {
    FileActions fa;
    posix_spawn_file_actions_addopen(fa.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(fa.get(), 1, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(fa.get(), 1, 2);
    posix_spawn_file_actions_addclosefrom_np(fa.get(), 3);
    // A daemon must not pin the directory it was started from.
    posix_spawn_file_actions_addchdir_np(fa.get(), "/");
    Attr attr(POSIX_SPAWN_SETSID);
    Argv args(argv);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0].c_str(), fa.get(), attr.get(), args.ptrs.data(), environ);
    if (rc != 0) fail(rc, "cannot start " + argv[0]);
    return pid;
}

ExitStatus decodeWaitStatus(int status) {
    ExitStatus s;
    s.known = true;
    if (WIFSIGNALED(status)) {
        s.signaled = true;
        s.signal = WTERMSIG(status);
        s.coreDumped = WCOREDUMP(status);
    } else if (WIFEXITED(status)) {
        s.code = WEXITSTATUS(status);
    }
    return s;
}

std::string describe(const ExitStatus& s) {
    if (!s.known) return "unknown";
    if (s.signaled) return "signal " + signalName(s.signal);
    return "code " + std::to_string(s.code);
}

ExitStatus reap(int pid) {
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid) return decodeWaitStatus(status);
    return {};
}

void signalGroup(int pgid, int signal) {
    if (pgid > 1) ::kill(-pgid, signal);
}

} // namespace wildws::supervisor
