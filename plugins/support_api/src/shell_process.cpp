#include "shell_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace wildws::support {
namespace {

struct SpawnObjects {
    SpawnObjects() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnObjects() {
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&actions);
    }
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
};

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

} // namespace

std::vector<std::string> shellEnvironment() {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string v = *e;
        // Never hand a secret to a child (/proc/<pid>/environ is readable by the user's processes).
        if (v.rfind("WILD_WORKSPACE_SHARE_SECRET=", 0) == 0 || v.rfind("WILD_WORKSPACE_SUPPORT_SECRET=", 0) == 0)
            continue;
        env.push_back(std::move(v));
    }
    return env;
}

ShellProcess::ShellProcess(const std::string& command, const std::string& cwd, const std::vector<std::string>& env) {
    int outPipe[2], errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    }
    int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);

    SpawnObjects o;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigmask(&o.attr, &none);
    posix_spawnattr_setsigdefault(&o.attr, &all);
    posix_spawnattr_setpgroup(&o.attr, 0);
    posix_spawnattr_setflags(&o.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    if (devNull >= 0) posix_spawn_file_actions_adddup2(&o.actions, devNull, 0);
    posix_spawn_file_actions_adddup2(&o.actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&o.actions, errPipe[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&o.actions, 3);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&o.actions, cwd.c_str());

    std::vector<char*> argv{const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), const_cast<char*>(command.c_str()),
                            nullptr};
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    int rc = ::posix_spawn(&pid_, "/bin/sh", &o.actions, &o.attr, argv.data(), envp.data());
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (devNull >= 0) ::close(devNull);
    if (rc != 0) {
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        pid_ = -1;
        throw std::runtime_error("cannot start /bin/sh" + (cwd.empty() ? std::string() : " in " + cwd) + ": " +
                                 std::strerror(rc));
    }
    out_ = outPipe[0];
    err_ = errPipe[0];
    ::fcntl(out_, F_SETFL, O_NONBLOCK);
    ::fcntl(err_, F_SETFL, O_NONBLOCK);
}

ShellProcess::~ShellProcess() {
    closeStdout();
    closeStderr();
    if (pid_ > 0 && !reaped_) {
        signalGroup(SIGKILL);
        reap();
    }
}

void ShellProcess::closeStdout() { closeFd(out_); }
void ShellProcess::closeStderr() { closeFd(err_); }

void ShellProcess::signalGroup(int sig) {
    if (pid_ > 0 && !reaped_) ::kill(-pid_, sig);
}

std::optional<int> ShellProcess::exited() {
    if (status_ || pid_ <= 0) return status_;
    siginfo_t info{};
    int rc;
    do rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    while (rc != 0 && errno == EINTR);
    if (rc != 0 || info.si_pid != pid_) return std::nullopt;
    status_ = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    return status_;
}

int ShellProcess::reap() {
    if (reaped_ || pid_ <= 0) return status_.value_or(-1);
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid_, &status, 0);
    while (r < 0 && errno == EINTR);
    reaped_ = true;
    if (r == pid_) status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return status_.value_or(-1);
}

} // namespace wildws::support
