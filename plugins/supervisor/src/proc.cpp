#include "proc.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace wildws::supervisor {
namespace {

// The fields after the command name: the name (field 2) may hold spaces
// and ')', so everything is counted from the LAST ')'.
std::optional<std::string> statAfterName(int pid) {
    if (pid <= 0) return std::nullopt;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 > text.size()) return std::nullopt;
    return text.substr(close + 2);
}

} // namespace

std::optional<std::uint64_t> processStartTime(int pid) {
    auto rest = statAfterName(pid);
    if (!rest) return std::nullopt;
    std::istringstream fields(*rest);
    std::string field;
    for (int i = 3; i <= 22; ++i) {
        if (!(fields >> field)) return std::nullopt;
        if (i == 22) {
            try {
                return std::stoull(field);
            } catch (const std::exception&) {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

std::optional<char> processState(int pid) {
    auto rest = statAfterName(pid);
    if (!rest || rest->empty()) return std::nullopt;
    return (*rest)[0];
}

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
