#include "child_process.hpp"

#include "proc.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

namespace wildws::supervisor {

ChildProcess spawnSupervised(const std::vector<std::string>& argv) {
    SpawnOptions o;
    o.argv = argv;
    o.env = childEnvironment();
    o.stderrMode = SpawnOptions::Output::Stdout;
    return ChildProcess::spawn(o);
}

int spawnDetached(const std::vector<std::string>& argv, const std::string& logPath) {
    SpawnOptions o;
    o.argv = argv;
    o.env = childEnvironment();
    o.newSession = true;
    o.cwd = "/"; // a daemon must not pin the directory it was started from
    o.stdoutMode = SpawnOptions::Output::AppendToFile;
    o.outputFile = logPath;
    o.stderrMode = SpawnOptions::Output::Stdout;
    return ChildProcess::spawn(o).release(); // it lives on; we reap it (reap())
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

ExitStatus fromProcessExit(const wildws::ExitStatus& status) {
    ExitStatus s;
    s.known = true;
    s.signaled = status.signal != 0;
    s.signal = status.signal;
    s.code = s.signaled ? 0 : status.code;
    s.coreDumped = status.coreDumped;
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
