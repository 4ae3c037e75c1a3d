#include "proc.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace wildws::supervisor {

bool processRunning(int pid) {
    auto state = processState(pid);
    return state && *state != 'Z' && *state != 'X';
}

std::string processCommandLine(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    // getline, not istreambuf_iterator: a process that exits between open and
    // read makes read() fail with ESRCH, which the iterator turns into a throw.
    std::string raw;
    for (std::string arg; std::getline(in, arg, '\0');) raw += (raw.empty() ? "" : " ") + arg;
    while (!raw.empty() && raw.back() == ' ') raw.pop_back();
    return raw;
}

int pidfdOpen(int pid) {
    if (pid <= 0) {
        errno = ESRCH;
        return -1;
    }
    // pidfd_open returns a close-on-exec fd by definition.
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

bool pidfdSignal(int pidfd, int signal) {
    return ::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) == 0;
}

int pidfdIfSame(int pid, std::uint64_t startTime) {
    int fd = pidfdOpen(pid);
    if (fd < 0) return -1;
    auto now = processStartTime(pid);
    if (!now || *now != startTime || !processRunning(pid)) {
        ::close(fd);
        errno = ESRCH;
        return -1;
    }
    return fd;
}

std::string signalName(int signal) {
    switch (signal) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGSTOP: return "SIGSTOP";
    case SIGSYS: return "SIGSYS";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "signal " + std::to_string(signal);
    }
}

} // namespace wildws::supervisor
