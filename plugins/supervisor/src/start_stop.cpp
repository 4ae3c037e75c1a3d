// `always-on start` and `always-on stop`: the only commands that talk to a
// supervisor from outside, through its pid record (pid + start time, then a
// pidfd), its lock, its status file and supervisor-request.json.
#include "child_process.hpp"
#include "commands.hpp"
#include "control_request.hpp"
#include "health_probe.hpp"
#include "launch.hpp"
#include "lock.hpp"
#include "pid_record.hpp"
#include "proc.hpp"
#include "request_file.hpp"
#include "safe_mode.hpp"
#include "status_file.hpp"
#include "supervisor.hpp"

#include <wildws/secure.hpp>

#include <spdlog/spdlog.h>

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace wildws::supervisor {
namespace {

constexpr ms kStep{100};
constexpr ms kSupervisorUp{15000}; // spawned supervisor -> its first status file
constexpr ms kAckWait{5000};       // supervisor-request.json -> acknowledged

std::string urlOf(const std::string& host, int port) {
    return "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// The last lines of the supervisor's log, to show why it died.
std::string logTail(const std::string& path, std::size_t lines) {
    std::ifstream in(path);
    std::vector<std::string> all;
    for (std::string l; std::getline(in, l);) all.push_back(l);
    std::string out;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += "  " + all[i] + "\n";
    return out;
}

struct ChildWait {
    std::string name;
    std::string role;
    bool done = false;
    bool failed = false;
    std::string line;
};

// Waits until both children answer /health (the CLI asks them itself), or
// one is fatal/disabled, or the deadline; prints one line per child.
int waitForChildren(const Paths& paths, const Launch& launch, int supervisorPid, const Settings& settings,
                    Invocation& inv) {
    std::vector<ChildWait> children(2);
    children[0].name = "server";
    children[0].role = "workspace";
    children[1].name = "daemon";
    children[1].role = "daemon";
    auto deadline = Mono::now() + settings.startWait;
    std::optional<SupervisorStatus> last;
    for (;;) {
        if (!processRunning(supervisorPid)) {
            inv.err() << "wildws: always-on: the supervisor (pid " << supervisorPid << ") exited - see "
                      << paths.supervisorLog << ":\n"
                      << logTail(paths.supervisorLog, 5);
            return 1;
        }
        last = readStatus(paths.status);
        bool allDone = true;
        for (auto& c : children) {
            if (c.done) continue;
            const ChildStatus* s = last && last->pid == supervisorPid ? findChild(*last, c.name) : nullptr;
            if (!s) {
                allDone = false;
                continue;
            }
            if (s->state == "disabled") {
                c.done = true;
                c.line = c.name + ": not supervised (" + s->reason + ")";
            } else if (s->state == "fatal") {
                c.done = c.failed = true;
                c.line = c.name + ": fatal: " + s->reason;
            } else if (s->state == "running" && s->pid > 0 && s->port > 0 &&
                       probeHealth(launch.probeHost, s->port, c.role, ms(500)).ok) {
                // "running" is the supervisor's verdict (answered /health and
                // stayed up healthy_after_ms); our own probe confirms it now.
                c.done = true;
                c.line = c.name + ": running" + (s->safeMode ? " (safe mode)" : "") + " on " +
                         urlOf(launch.probeHost, s->port) + " (pid " + std::to_string(s->pid) + ")";
            } else {
                allDone = false;
            }
        }
        if (allDone) break;
        if (Mono::now() >= deadline) {
            for (auto& c : children) {
                if (c.done) continue;
                c.failed = true;
                const ChildStatus* s = last ? findChild(*last, c.name) : nullptr;
                c.line = c.name + ": did not answer /health within " +
                         std::to_string(settings.startWait.count() / 1000) + "s";
                if (s) {
                    c.line += " (state " + s->state;
                    if (s->lastExit) c.line += ", last exit: " + s->lastExit->cause;
                    if (!s->reason.empty()) c.line += ", " + s->reason;
                    c.line += ")";
                }
                c.line += " - see " + (c.name == "server" ? paths.serverOut : paths.daemonOut);
            }
            break;
        }
        if (inv.waitInterrupted(kStep)) {
            inv.err() << "wildws: always-on: interrupted while waiting; the supervisor keeps running (pid "
                      << supervisorPid << ")\n";
            return 130;
        }
    }
    bool failed = false;
    for (auto& c : children) {
        (c.failed ? inv.err() : inv.out()) << c.line << "\n";
        failed = failed || c.failed;
    }
    if (auto mode = readSafeMode(paths.safeMode))
        for (auto& line : describe(*mode)) inv.out() << "safe mode: " << line << "\n";
    return failed ? 1 : 0;
}

// Tells a running supervisor "start again" and waits for its acknowledgement.
bool askRunningSupervisor(const Paths& paths, bool clearSafeMode, Invocation& inv) {
    ControlRequest request;
    request.nonce = randomToken(9);
    request.clearSafeMode = clearSafeMode;
    auto deadline = Mono::now() + kAckWait;
    while (placeRequest(paths.controlRequest, controlRequestJson(request)) == Placed::AlreadyPending) {
        if (Mono::now() >= deadline) break; // another start's request is pending: it does the same
        std::this_thread::sleep_for(ms(20));
    }
    while (Mono::now() < deadline) {
        auto status = readStatus(paths.status);
        if (status && status->controlNonce == request.nonce) return true;
        if (inv.waitInterrupted(ms(20))) return false;
    }
    // A pending request from a concurrent start also makes it retry.
    struct stat st {};
    return ::stat(paths.controlRequest.c_str(), &st) != 0;
}

// Ends the children named by a status file, when they are still the very
// processes it names (pid + start time), through pidfds.
std::vector<std::string> stopOrphans(const std::optional<SupervisorStatus>& status, ms grace) {
    std::vector<std::string> stopped;
    if (!status) return stopped;
    std::vector<std::pair<std::string, int>> fds;
    for (auto& c : status->children) {
        if (c.pid <= 0 || c.startTime == 0) continue;
        int fd = pidfdIfSame(c.pid, c.startTime);
        if (fd < 0) continue;
        pidfdSignal(fd, SIGTERM);
        if (::getpgid(c.pid) == c.pid) signalGroup(c.pid, SIGTERM);
        fds.emplace_back(c.name + " (pid " + std::to_string(c.pid) + ")", fd);
        stopped.push_back(c.name + " (pid " + std::to_string(c.pid) + ")");
    }
    auto deadline = Mono::now() + grace;
    for (auto& [name, fd] : fds) {
        pollfd p{fd, POLLIN, 0};
        auto left = std::max<std::int64_t>(0, std::chrono::duration_cast<ms>(deadline - Mono::now()).count());
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) pidfdSignal(fd, SIGKILL);
        ::close(fd);
    }
    for (auto& c : status->children)
        if (c.pid > 0 && c.startTime > 0 && processStartTime(c.pid) == c.startTime) signalGroup(c.pid, SIGKILL);
    return stopped;
}

void removeLeftovers(const Paths& paths) {
    // Only under the lock: taking it proves no supervisor owns these files,
    // and a start racing with us waits (it retries) instead of locking a
    // file we are about to unlink.
    // A supervisor killed a moment ago, or a child of its still exiting, can
    // hold the lock for a little while: wait for it briefly, never forever.
    auto lock = SupervisorLock::tryAcquire(paths.lock);
    for (int i = 0; !lock && i < 40; ++i) {
        ::usleep(50 * 1000);
        lock = SupervisorLock::tryAcquire(paths.lock);
    }
    if (!lock) return;
    ::unlink(paths.status.c_str());
    if (!liveRecord(paths.supervisorPid)) ::unlink(paths.supervisorPid.c_str());
    for (auto* f : {&paths.serverPid, &paths.daemonPid})
        if (auto r = readPidRecord(*f); r && !liveRecord(*f)) ::unlink(f->c_str());
    lock->releaseAndRemove();
}

} // namespace

int startCommand(const CommandEnv& env, Invocation& inv) {
    auto settings = settingsOrComplain(env, inv);
    if (!settings) return 2;
    Paths paths = Paths::of(env.host.home);
    Launch launch = launchFrom(env.host);
    bool clear = inv.flag("clear-safe-mode");
    if (clear) {
        auto mode = readSafeMode(paths.safeMode);
        if (removeSafeMode(paths.safeMode)) {
            std::string names;
            if (mode)
                for (auto& d : mode->disabled) names += (names.empty() ? "" : ", ") + d.plugin;
            if (mode && mode->onlyFirstParty) names += (names.empty() ? "" : ", ") + std::string("third-party plugins");
            inv.out() << "safe mode cleared: " << (names.empty() ? std::string("every plugin") : names)
                      << " will load again\n";
            env.log->info("safe mode cleared by 'always-on start --clear-safe-mode' ({})", names);
        } else {
            inv.out() << "safe mode: nothing to clear\n";
        }
    }

    if (auto running = runningSupervisor(paths)) {
        inv.out() << "always-on: already running (pid " << running->pid << ")\n";
        if (!askRunningSupervisor(paths, clear, inv)) {
            inv.err() << "wildws: always-on: the supervisor (pid " << running->pid
                      << ") did not take the request within 5s - see " << paths.supervisorLog << "\n";
            return 1;
        }
        return waitForChildren(paths, launch, running->pid, *settings, inv);
    }

    ::mkdir(paths.logs.c_str(), 0700);
    int pid = -1;
    try {
        pid = spawnDetached(supervisorArgv(launch, *env.config, true), paths.supervisorLog);
    } catch (const std::exception& e) {
        inv.err() << "wildws: always-on: " << e.what() << "\n";
        return 1;
    }
    auto deadline = Mono::now() + kSupervisorUp;
    for (;;) {
        // We are its parent until it exits: reap it if it did.
        ExitStatus exit = reap(pid);
        if (exit.known) {
            if (!exit.signaled && exit.code == kExitAlreadyRunning) {
                // Another start won the lock first: that one is the supervisor.
                if (auto winner = runningSupervisor(paths)) {
                    inv.out() << "always-on: already running (pid " << winner->pid << ")\n";
                    return waitForChildren(paths, launch, winner->pid, *settings, inv);
                }
            }
            inv.err() << "wildws: always-on: the supervisor exited with " << describe(exit)
                      << " before it was ready - see " << paths.supervisorLog << ":\n"
                      << logTail(paths.supervisorLog, 5);
            return 1;
        }
        auto status = readStatus(paths.status);
        if (status && status->pid == pid) break;
        if (Mono::now() >= deadline) {
            inv.err() << "wildws: always-on: the supervisor (pid " << pid << ") did not come up within "
                      << kSupervisorUp.count() / 1000 << "s - see " << paths.supervisorLog << "\n";
            return 1;
        }
        if (inv.waitInterrupted(ms(20))) return 130;
    }
    inv.out() << "always-on: started (supervisor pid " << pid << ")\n";
    return waitForChildren(paths, launch, pid, *settings, inv);
}

int stopCommand(const CommandEnv& env, Invocation& inv) {
    auto settings = settingsOrComplain(env, inv);
    if (!settings) return 2;
    Paths paths = Paths::of(env.host.home);
    auto status = readStatus(paths.status);
    auto running = runningSupervisor(paths);
    int fd = running ? pidfdIfSame(running->pid, running->startTime) : -1;
    if (fd < 0) {
        auto orphans = stopOrphans(status, settings->stopGrace);
        removeLeftovers(paths);
        if (orphans.empty()) {
            inv.out() << "always-on: not running\n";
        } else {
            std::string list;
            for (auto& o : orphans) list += (list.empty() ? "" : ", ") + o;
            inv.out() << "always-on: not running; stopped what a supervisor that died left behind: " << list << "\n";
        }
        return 0;
    }
    pidfdSignal(fd, SIGTERM);
    // The supervisor gives each child the grace period, then SIGKILL; give
    // it that long plus time to reap and clean up.
    pollfd p{fd, POLLIN, 0};
    int waitMs = static_cast<int>(settings->stopGrace.count()) + 10000;
    bool exited = false;
    for (auto end = Mono::now() + ms(waitMs); !exited && Mono::now() < end;) {
        exited = ::poll(&p, 1, 100) > 0;
    }
    std::string note;
    if (!exited) {
        pidfdSignal(fd, SIGKILL);
        note = " (it did not exit within " + std::to_string(waitMs / 1000) + "s: killed)";
        poll(&p, 1, 2000);
    }
    ::close(fd);
    // Whatever it could not stop (or everything, if it was killed).
    stopOrphans(status, ms(2000));
    removeLeftovers(paths);
    std::string children;
    if (status)
        for (auto& c : status->children)
            if (c.pid > 0) children += std::string(children.empty() ? "; " : ", ") + c.name + " pid " + std::to_string(c.pid);
    inv.out() << "always-on: stopped (supervisor pid " << running->pid << children << ")" << note << "\n";
    return 0;
}

} // namespace wildws::supervisor
