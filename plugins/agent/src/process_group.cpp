#include "process_group.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace wildws::agent {
namespace {

struct CStrings {
    explicit CStrings(const std::vector<std::string>& v) {
        for (auto& s : v) ptrs.push_back(const_cast<char*>(s.c_str()));
        ptrs.push_back(nullptr);
    }
    std::vector<char*> ptrs;
};

/// RAII for the spawn attribute and file-action objects.
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

void makePipe(Fd& readEnd, Fd& writeEnd) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    readEnd.reset(fds[0]);
    writeEnd.reset(fds[1]);
}

int decodeWaitStatus(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

} // namespace

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
}

void Fd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

ProcessGroup ProcessGroup::spawn(const SpawnSpec& spec) {
    if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/')
        throw std::runtime_error("cannot start '" + (spec.argv.empty() ? std::string() : spec.argv[0]) +
                                 "': the program must be an absolute path");
    ProcessGroup g;
    Fd childIn, childOut, childErr;
    if (spec.pipeStdin) {
        makePipe(childIn, g.in_);
    } else {
        childIn.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        if (!childIn) throw std::runtime_error(std::string("cannot open /dev/null: ") + std::strerror(errno));
    }
    makePipe(g.out_, childOut);
    makePipe(g.err_, childErr);

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
    // dup2 clears FD_CLOEXEC on the target; everything else is closed.
    posix_spawn_file_actions_adddup2(&o.actions, childIn.get(), 0);
    posix_spawn_file_actions_adddup2(&o.actions, childOut.get(), 1);
    posix_spawn_file_actions_adddup2(&o.actions, childErr.get(), 2);
    posix_spawn_file_actions_addclosefrom_np(&o.actions, 3);
    if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&o.actions, spec.cwd.c_str());

    CStrings argv(spec.argv), env(spec.env);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, spec.argv[0].c_str(), &o.actions, &o.attr, argv.ptrs.data(), env.ptrs.data());
    if (rc != 0) {
        std::string where = spec.cwd.empty() ? "" : " in " + spec.cwd;
        throw std::runtime_error("cannot start " + spec.argv[0] + where + ": " + std::strerror(rc));
    }
    g.pid_ = pid;
    g.pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (g.pidfd_) ::fcntl(g.pidfd_.get(), F_SETFD, FD_CLOEXEC);
    return g;
}

ProcessGroup::ProcessGroup(ProcessGroup&& o) noexcept
    : pid_(o.pid_), in_(std::move(o.in_)), out_(std::move(o.out_)), err_(std::move(o.err_)),
      pidfd_(std::move(o.pidfd_)), status_(o.status_), reaped_(o.reaped_) {
    o.pid_ = -1;
    o.reaped_ = true;
}

ProcessGroup::~ProcessGroup() {
    if (pid_ > 0 && !reaped_) {
        signalGroup(SIGKILL);
        reap();
    }
}

void ProcessGroup::signalGroup(int sig) {
    if (pid_ > 0 && !reaped_) ::kill(-pid_, sig);
}

std::optional<int> ProcessGroup::exited() {
    if (status_ || pid_ <= 0) return status_;
    siginfo_t info{};
    for (;;) {
        int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
        if (rc == 0) break;
        if (errno == EINTR) continue;
        return std::nullopt;
    }
    if (info.si_pid != pid_) return std::nullopt; // still running
    if (info.si_code == CLD_EXITED) status_ = info.si_status;
    else status_ = 128 + info.si_status;
    return status_;
}

int ProcessGroup::reap() {
    if (reaped_) return status_.value_or(-1);
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &status, 0);
    } while (r < 0 && errno == EINTR);
    reaped_ = true;
    if (r == pid_) status_ = decodeWaitStatus(status);
    return status_.value_or(-1);
}

std::optional<std::string> captureOutput(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                         int timeoutMs) {
    try {
        SpawnSpec spec;
        spec.argv = argv;
        spec.env = env;
        auto g = ProcessGroup::spawn(spec);
        std::string out;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        char buf[4096];
        for (;;) {
            bool pipesOpen = g.stdoutPipe() || g.stderrPipe();
            if (!pipesOpen && g.exited()) break;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                g.signalGroup(SIGKILL);
                g.reap();
                return std::nullopt;
            }
            pollfd p[3] = {{g.stdoutPipe().get(), POLLIN, 0}, {g.stderrPipe().get(), POLLIN, 0}, {g.pidFd(), POLLIN, 0}};
            int wait = static_cast<int>(left.count());
            if (g.pidFd() < 0) wait = std::min(wait, 10);
            if (::poll(p, 3, wait) <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                if (p[i].fd < 0 || !p[i].revents) continue;
                ssize_t n = ::read(p[i].fd, buf, sizeof buf);
                if (n > 0) {
                    if (i == 0 && out.size() < 65536) out.append(buf, static_cast<std::size_t>(n));
                } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                    (i == 0 ? g.stdoutPipe() : g.stderrPipe()).reset();
                }
            }
            if (p[2].revents) g.exited();
        }
        g.signalGroup(SIGKILL); // leftovers of a version probe
        int code = g.reap();
        if (code != 0) return std::nullopt;
        return out;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace wildws::agent
