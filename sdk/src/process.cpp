#include <wildws/process.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace wildws {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(o.release()) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) reset(o.release());
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

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

[[noreturn]] void fail(const std::string& what, int err) {
    throw std::runtime_error(what + ": " + std::strerror(err));
}

void makePipe(Fd& readEnd, Fd& writeEnd) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail("cannot make a pipe", errno);
    readEnd.reset(fds[0]);
    writeEnd.reset(fds[1]);
}

void setNonBlocking(const Fd& fd) {
    if (fd) ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
}

ExitStatus fromSiginfo(const siginfo_t& info) {
    ExitStatus s;
    if (info.si_code == CLD_EXITED) {
        s.code = info.si_status;
    } else {
        s.signal = info.si_status;
        s.coreDumped = info.si_code == CLD_DUMPED;
    }
    return s;
}

ExitStatus fromWaitStatus(int status) {
    ExitStatus s;
    if (WIFEXITED(status)) {
        s.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        s.signal = WTERMSIG(status);
        s.coreDumped = WCOREDUMP(status);
    }
    return s;
}

// The fields after the command name: the name (field 2) may hold spaces and
// ')', so everything is counted from the LAST ')'. getline, not
// istreambuf_iterator: a process that exits between open and read makes
// read() fail with ESRCH, which the iterator turns into a throw.
std::optional<std::string> statAfterName(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 > text.size()) return std::nullopt;
    return text.substr(close + 2);
}

/// A live (not zombie) process other than `except` in process group `pgid`.
bool groupHasLiveMember(pid_t pgid, pid_t except) {
    DIR* dir = ::opendir("/proc");
    if (!dir) return false;
    bool found = false;
    while (auto* e = ::readdir(dir)) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        pid_t pid = static_cast<pid_t>(std::strtol(e->d_name, nullptr, 10));
        if (pid == except) continue;
        auto rest = statAfterName(pid);
        if (!rest || rest->empty()) continue;
        std::istringstream fields(*rest);
        std::string state, ppid, pgrp;
        if (!(fields >> state >> ppid >> pgrp)) continue;
        if (state == "Z" || state == "X") continue;
        if (pgrp == std::to_string(pgid)) {
            found = true;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

void openPty(Fd& master, std::string& slaveName, unsigned short rows, unsigned short cols) {
    master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master) fail("cannot open a pseudo-terminal", errno);
    if (::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0) fail("cannot set up a pseudo-terminal", errno);
    char name[128];
    if (::ptsname_r(master.get(), name, sizeof name) != 0) fail("cannot name a pseudo-terminal", errno);
    slaveName = name;
    struct winsize ws {};
    ws.ws_row = rows;
    ws.ws_col = cols;
    ::ioctl(master.get(), TIOCSWINSZ, &ws);
}

/// A write that gives EPIPE instead of raising SIGPIPE, whatever the calling
/// thread's mask: SIGPIPE is blocked around the write, and one it raised is
/// consumed before the mask is restored.
ssize_t writeNoSigpipe(int fd, const char* data, std::size_t n) {
    sigset_t pipeSet, old, pending;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
    sigpending(&pending);
    bool wasPending = sigismember(&pending, SIGPIPE) == 1;
    ssize_t w = ::write(fd, data, n);
    int err = errno;
    if (w < 0 && err == EPIPE && !wasPending) {
        struct timespec zero {};
        while (::sigtimedwait(&pipeSet, nullptr, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = err;
    return w;
}

} // namespace

struct ChildProcess::State {
    pid_t pid = -1;
    Fd in, out, err, pty, pidfd;
    std::string pending;             // stdin bytes not yet written
    bool closeInWhenWritten = false; // closeStdin() was asked while bytes waited
    bool inputClosed = false;
    std::optional<ExitStatus> status; // the leader's, once seen
    bool reaped = false;
    bool released = false;
    std::optional<Clock::time_point> killAt;
    bool terminating = false;

    bool owns() const { return pid > 0 && !reaped && !released; }
    int inputFd() const { return pty ? pty.get() : in.get(); }
    void closeInput() {
        inputClosed = true;
        pending.clear();
        if (!pty) in.reset();
    }
};

ChildProcess::ChildProcess(std::unique_ptr<State> state) : s_(std::move(state)) {}
ChildProcess::ChildProcess(ChildProcess&&) noexcept = default;

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
    if (this != &o) {
        if (s_ && s_->owns()) finish();
        s_ = std::move(o.s_);
    }
    return *this;
}

ChildProcess::~ChildProcess() {
    if (s_ && s_->owns()) finish();
}

ChildProcess ChildProcess::spawn(const SpawnOptions& o) {
    if (o.argv.empty() || o.argv[0].empty() || o.argv[0][0] != '/')
        throw std::runtime_error("cannot start '" + (o.argv.empty() ? std::string() : o.argv[0]) +
                                 "': the program must be an absolute path");
    auto s = std::make_unique<State>();
    SpawnObjects so;
    Fd childIn, childOut, childErr;
    std::string slave;

    if (o.pty) {
        openPty(s->pty, slave, o.ptyRows, o.ptyCols);
        // Opened in the child AFTER setsid(): the first terminal a session
        // leader opens without O_NOCTTY becomes its controlling terminal.
        posix_spawn_file_actions_addopen(&so.actions, 0, slave.c_str(), O_RDWR, 0);
        posix_spawn_file_actions_adddup2(&so.actions, 0, 1);
        posix_spawn_file_actions_adddup2(&so.actions, 0, 2);
    } else {
        if (o.stdinMode == SpawnOptions::Input::Pipe) makePipe(childIn, s->in);
        else posix_spawn_file_actions_addopen(&so.actions, 0, "/dev/null", O_RDONLY, 0);

        auto wire = [&](SpawnOptions::Output mode, int target, Fd& parentEnd, Fd& childEnd) {
            switch (mode) {
            case SpawnOptions::Output::Pipe:
                makePipe(parentEnd, childEnd);
                break;
            case SpawnOptions::Output::Null:
                posix_spawn_file_actions_addopen(&so.actions, target, "/dev/null", O_WRONLY, 0);
                break;
            case SpawnOptions::Output::Stdout:
                break; // dup'ed below, once stdout is in place
            case SpawnOptions::Output::AppendToFile:
                if (o.outputFile.empty()) throw std::runtime_error("cannot start " + o.argv[0] + ": no output file named");
                posix_spawn_file_actions_addopen(&so.actions, target, o.outputFile.c_str(),
                                                 O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
                break;
            }
        };
        if (o.stdoutMode == SpawnOptions::Output::Stdout)
            throw std::runtime_error("cannot start " + o.argv[0] + ": stdout cannot go to stdout");
        wire(o.stdoutMode, 1, s->out, childOut);
        wire(o.stderrMode, 2, s->err, childErr);
        // dup2 clears FD_CLOEXEC on the target; everything else is closed.
        if (childIn) posix_spawn_file_actions_adddup2(&so.actions, childIn.get(), 0);
        if (childOut) posix_spawn_file_actions_adddup2(&so.actions, childOut.get(), 1);
        if (childErr) posix_spawn_file_actions_adddup2(&so.actions, childErr.get(), 2);
        if (o.stderrMode == SpawnOptions::Output::Stdout) posix_spawn_file_actions_adddup2(&so.actions, 1, 2);
    }
    posix_spawn_file_actions_addclosefrom_np(&so.actions, 3);
    if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&so.actions, o.cwd.c_str());

    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all); // glibc leaves out its internal signals
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigmask(&so.attr, &none);
    posix_spawnattr_setsigdefault(&so.attr, &all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (o.pty || o.newSession) {
        flags |= POSIX_SPAWN_SETSID; // a new session is a new group too
    } else {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&so.attr, 0);
    }
    posix_spawnattr_setflags(&so.attr, flags);

    CStrings argv(o.argv), env(o.env);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, o.argv[0].c_str(), &so.actions, &so.attr, argv.ptrs.data(), env.ptrs.data());
    if (rc != 0) {
        // posix_spawn reports one errno for chdir and exec alike: name the
        // directory when it is the directory that is not there.
        struct stat st {};
        bool badDir = !o.cwd.empty() && (::stat(o.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode));
        fail("cannot start " + o.argv[0] + (badDir ? " in " + o.cwd : std::string()), rc);
    }
    s->pid = pid;
    // Our own unreaped child cannot be replaced by another process with the
    // same pid, so opening the pidfd after the spawn is race-free. pidfd_open
    // returns a close-on-exec fd by definition.
    s->pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    setNonBlocking(s->in);
    setNonBlocking(s->out);
    setNonBlocking(s->err);
    setNonBlocking(s->pty);
    return ChildProcess(std::move(s));
}

pid_t ChildProcess::pid() const { return s_ ? s_->pid : -1; }
int ChildProcess::stdinFd() const { return s_ ? s_->in.get() : -1; }
int ChildProcess::stdoutFd() const { return s_ ? s_->out.get() : -1; }
int ChildProcess::stderrFd() const { return s_ ? s_->err.get() : -1; }
int ChildProcess::terminalFd() const { return s_ ? s_->pty.get() : -1; }
int ChildProcess::pidFd() const { return s_ ? s_->pidfd.get() : -1; }
bool ChildProcess::finished() const { return !s_ || s_->reaped; }

bool ChildProcess::writeStdin(std::string_view bytes) {
    if (!s_ || s_->inputClosed || s_->closeInWhenWritten || s_->inputFd() < 0) return false;
    s_->pending.append(bytes.data(), bytes.size());
    flushStdin();
    return !s_->inputClosed;
}

bool ChildProcess::stdinPending() const { return s_ && !s_->pending.empty() && s_->inputFd() >= 0; }

void ChildProcess::flushStdin() {
    if (!s_) return;
    State& s = *s_;
    while (!s.pending.empty() && s.inputFd() >= 0) {
        ssize_t n = writeNoSigpipe(s.inputFd(), s.pending.data(), s.pending.size());
        if (n > 0) {
            s.pending.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        s.closeInput(); // EPIPE (it stopped reading), EIO (the terminal is gone)
        return;
    }
    if (s.pending.empty() && s.closeInWhenWritten) s.closeInput();
}

void ChildProcess::closeStdin() {
    if (!s_ || s_->inputClosed) return;
    s_->closeInWhenWritten = true;
    flushStdin();
}

long ChildProcess::read(Stream stream, char* buffer, std::size_t size) {
    if (!s_) return -1;
    Fd& fd = stream == Stream::Stdout ? s_->out : stream == Stream::Stderr ? s_->err : s_->pty;
    if (!fd) return -1;
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer, size);
        if (n > 0) return static_cast<long>(n);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return -1;
        // 0: every writer is gone. EIO: the last holder of the pty slave closed it.
        fd.reset();
        if (stream == Stream::Terminal) s_->inputClosed = true, s_->pending.clear();
        return 0;
    }
}

void ChildProcess::closeOutput(Stream stream) {
    if (!s_) return;
    (stream == Stream::Stdout ? s_->out : stream == Stream::Stderr ? s_->err : s_->pty).reset();
}

void ChildProcess::signalGroup(int sig) {
    if (s_ && s_->owns()) ::kill(-s_->pid, sig);
}

void ChildProcess::signalLeader(int sig) {
    if (!s_ || !s_->owns()) return;
    if (s_->pidfd) ::syscall(SYS_pidfd_send_signal, s_->pidfd.get(), sig, nullptr, 0);
    else ::kill(s_->pid, sig);
}

void ChildProcess::terminate(milliseconds grace) {
    if (!s_ || !s_->owns() || s_->terminating) return;
    s_->terminating = true;
    signalGroup(SIGTERM);
    signalGroup(SIGCONT); // a stopped process cannot act on SIGTERM
    s_->killAt = Clock::now() + grace;
}

int ChildProcess::killDueInMs() {
    if (!s_ || !s_->killAt) return s_ && s_->terminating ? 0 : -1;
    auto left = std::chrono::ceil<milliseconds>(*s_->killAt - Clock::now()).count();
    if (left > 0) return static_cast<int>(std::min<long long>(left, 1 << 30));
    signalGroup(SIGKILL);
    s_->killAt.reset();
    return 0;
}

std::optional<ExitStatus> ChildProcess::exited() {
    if (!s_ || s_->pid <= 0) return std::nullopt;
    if (s_->status || s_->reaped || s_->released) return s_->status;
    siginfo_t info{};
    int rc;
    do rc = ::waitid(P_PID, static_cast<id_t>(s_->pid), &info, WEXITED | WNOHANG | WNOWAIT);
    while (rc != 0 && errno == EINTR);
    if (rc != 0 || info.si_pid != s_->pid) return std::nullopt; // still running
    s_->status = fromSiginfo(info);
    return s_->status;
}

std::optional<ExitStatus> ChildProcess::waitExited(milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto st = exited()) return st;
        if (!s_ || !s_->owns()) return std::nullopt;
        auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return std::nullopt;
        if (s_->pidfd) {
            pollfd p{s_->pidfd.get(), POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60000)));
        } else {
            std::this_thread::sleep_for(milliseconds(std::min<long long>(left, 10)));
        }
    }
}

ExitStatus ChildProcess::finish(milliseconds memberWait) {
    if (!s_) return {};
    State& s = *s_;
    if (s.reaped || s.released || s.pid <= 0) return s.status.value_or(ExitStatus{});
    ::kill(-s.pid, SIGKILL);
    // The leader first: it is SIGKILLed, so this returns at once.
    siginfo_t info{};
    int rc;
    do rc = ::waitid(P_PID, static_cast<id_t>(s.pid), &info, WEXITED | WNOWAIT);
    while (rc != 0 && errno == EINTR);
    if (rc == 0 && !s.status) s.status = fromSiginfo(info);
    // kill() only queues SIGKILL: a member is gone once it is a zombie or
    // reaped. While the leader stays unreaped the group id stays ours, so
    // signalling it again (a member may have forked meanwhile) is safe.
    auto deadline = Clock::now() + memberWait;
    auto pause = std::chrono::microseconds(200);
    while (groupHasLiveMember(s.pid, s.pid) && Clock::now() < deadline) {
        ::kill(-s.pid, SIGKILL);
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }
    int status = 0;
    pid_t r;
    do r = ::waitpid(s.pid, &status, 0);
    while (r < 0 && errno == EINTR);
    s.reaped = true;
    if (r == s.pid && !s.status) s.status = fromWaitStatus(status);
    s.killAt.reset();
    s.in.reset();
    s.pidfd.reset();
    return s.status.value_or(ExitStatus{});
}

pid_t ChildProcess::release() {
    if (!s_) return -1;
    s_->released = true;
    s_->in.reset();
    s_->out.reset();
    s_->err.reset();
    s_->pty.reset();
    s_->pidfd.reset();
    return s_->pid;
}

RunResult runToEnd(SpawnOptions options, milliseconds timeout, std::string_view input, std::size_t maxOutput) {
    options.pty = false;
    options.stdinMode = input.empty() ? SpawnOptions::Input::Null : SpawnOptions::Input::Pipe;
    options.stdoutMode = SpawnOptions::Output::Pipe;
    options.stderrMode = SpawnOptions::Output::Pipe;
    auto p = ChildProcess::spawn(options);
    if (!input.empty()) {
        p.writeStdin(input);
        p.closeStdin();
    }
    RunResult result;
    auto deadline = Clock::now() + timeout;
    char buf[16384];
    for (;;) {
        bool pipesOpen = p.stdoutFd() >= 0 || p.stderrFd() >= 0;
        if (!pipesOpen && p.exited()) break;
        auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            result.timedOut = true;
            break;
        }
        int wait = static_cast<int>(std::min<long long>(left, 60000));
        if (p.pidFd() < 0) wait = std::min(wait, 10);
        pollfd fds[4] = {{p.stdoutFd(), POLLIN, 0},
                         {p.stderrFd(), POLLIN, 0},
                         {p.stdinPending() ? p.stdinFd() : -1, POLLOUT, 0},
                         {p.exited() ? -1 : p.pidFd(), POLLIN, 0}};
        if (::poll(fds, 4, wait) <= 0) continue;
        if (fds[2].revents) p.flushStdin();
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            auto stream = i == 0 ? ChildProcess::Stream::Stdout : ChildProcess::Stream::Stderr;
            std::string& into = i == 0 ? result.out : result.err;
            long n = p.read(stream, buf, sizeof buf);
            if (n > 0 && into.size() < maxOutput)
                into.append(buf, std::min(static_cast<std::size_t>(n), maxOutput - into.size()));
        }
    }
    result.status = p.finish();
    return result;
}

bool nameMatches(const std::string& name, const std::vector<std::string>& patterns) {
    for (auto& p : patterns) {
        if (!p.empty() && p.back() == '*') {
            if (name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0) return true;
        } else if (name == p) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> childEnvironment(const std::vector<std::string>& scrub,
                                          const std::vector<std::pair<std::string, std::string>>& add) {
    std::vector<std::string> out;
    auto put = [&out](const std::string& name, const std::string& entry) {
        for (auto& e : out) {
            if (e.compare(0, name.size() + 1, name + "=") == 0) {
                e = entry; // the later one wins, as getenv() would see it
                return;
            }
        }
        out.push_back(entry);
    };
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        std::string name = kv.substr(0, eq);
        if (!nameMatches(name, scrub)) put(name, kv);
    }
    for (auto& [k, v] : add)
        if (!k.empty() && k.find('=') == std::string::npos && !nameMatches(k, scrub)) put(k, k + "=" + v);
    return out;
}

std::optional<std::uint64_t> processStartTime(pid_t pid) {
    auto rest = statAfterName(pid);
    if (!rest) return std::nullopt;
    std::istringstream fields(*rest);
    std::string field;
    // Field 3 is the first after ')'; field 22 is the 20th.
    for (int i = 3; i <= 22; ++i)
        if (!(fields >> field)) return std::nullopt;
    try {
        return std::stoull(field);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<char> processState(pid_t pid) {
    auto rest = statAfterName(pid);
    if (!rest || rest->empty()) return std::nullopt;
    return (*rest)[0];
}

} // namespace wildws
