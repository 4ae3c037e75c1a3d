#include "supervisor.hpp"

#include <wildws/secure.hpp>

#include "control_request.hpp"
#include "dir_watch.hpp"
#include "pid_record.hpp"
#include "proc.hpp"
#include "request_file.hpp"
#include "safe_mode.hpp"
#include "status_file.hpp"

#include <wildws/command.hpp>
#include <wildws/secure.hpp>

#include <spdlog/spdlog.h>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

namespace wildws::supervisor {
namespace {

constexpr ms kLockRetryFor{5000};
// After the grace period every child got SIGKILL; this long after that a
// child that still has not exited (uninterruptible sleep) is left behind.
constexpr ms kShutdownSlack{10000};

std::string quoteReason(const std::string& reason) { return reason.empty() ? "no reason given" : "'" + reason + "'"; }

} // namespace

Supervisor::Supervisor(SupervisorDeps deps)
    : deps_(std::move(deps)), audit_(*deps_.services, deps_.log), restartLimiter_(deps_.settings.restartMinInterval) {}

Supervisor::~Supervisor() = default;

bool Supervisor::acquireLock(Invocation& inv) {
    auto deadline = Mono::now() + kLockRetryFor;
    for (;;) {
        if (auto lock = SupervisorLock::tryAcquire(deps_.paths.lock)) {
            lock_ = std::move(lock);
            return true;
        }
        if (auto rec = liveRecord(deps_.paths.supervisorPid); rec && rec->role == "supervisor") {
            inv.out() << "always-on: already running (pid " << rec->pid << ")\n";
            return false;
        }
        // Held, but no live supervisor.pid yet: a supervisor that is just
        // starting, or a process checking the lock for a moment. Wait.
        if (Mono::now() > deadline) {
            inv.err() << "wildws: always-on: " << deps_.paths.lock
                      << " is held by another process, but supervisor.pid names no live supervisor - find it with "
                         "'fuser "
                      << deps_.paths.lock << "'\n";
            return false;
        }
        std::this_thread::sleep_for(ms(25));
    }
}

int Supervisor::run(Invocation& inv) {
    if (!acquireLock(inv)) return kExitAlreadyRunning;
    auto& log = deps_.log;
    startedAt_ = common::nowMs();
    startTime_ = processStartTime(::getpid()).value_or(0);
    try {
        PidRecord me;
        me.pid = ::getpid();
        me.startTime = startTime_;
        me.startedAt = startedAt_;
        me.version = deps_.version;
        me.role = "supervisor";
        writePidRecord(deps_.paths.supervisorPid, me);
    } catch (const std::exception& e) {
        inv.err() << "wildws: always-on: cannot write " << deps_.paths.supervisorPid << ": " << e.what() << "\n";
        lock_->releaseAndRemove();
        return 1;
    }
    std::unique_ptr<DirWatch> watch;
    try {
        watch = std::make_unique<DirWatch>(
            deps_.paths.home, std::set<std::string>{"restart-request.json", "supervisor-request.json"});
    } catch (const std::exception& e) {
        inv.err() << "wildws: always-on: cannot watch " << deps_.paths.home << " for requests: " << e.what() << "\n";
        cleanup();
        return 1;
    }

    // The host turns SIGINT/SIGTERM into Invocation::interrupted(); this
    // thread turns that into a readable eventfd for the poll loop.
    int stopFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        while (!done.load()) {
            if (inv.waitInterrupted(ms(200))) {
                std::uint64_t one = 1;
                ssize_t ignored = ::write(stopFd, &one, sizeof one);
                (void)ignored;
                return;
            }
        }
    });

    const auto& l = deps_.launch;
    auto makeUnit = [&](const std::string& name, const std::string& role, const std::string& command,
                        const std::string& pidFile, int port, const std::string& outLog) {
        UnitConfig c;
        c.name = name;
        c.role = role;
        c.argv = childArgv(l, command);
        c.pidFile = pidFile;
        c.port = port;
        c.probeHost = l.probeHost;
        c.outLog = outLog;
        c.safeModeFile = deps_.paths.safeMode;
        UnitListener& listener = *this;
        return std::make_unique<ChildUnit>(c, deps_.settings, log, listener);
    };
    units_.push_back(makeUnit("server", "workspace", "serve", deps_.paths.serverPid, l.workspacePort,
                              deps_.paths.serverOut));
    server_ = units_.back().get();
    units_.push_back(
        makeUnit("daemon", "daemon", "daemon", deps_.paths.daemonPid, l.daemonPort, deps_.paths.daemonOut));

    log->info("supervisor started (pid {}, wildws {}, home {}, server port {}, daemon port {})", ::getpid(),
              deps_.version, deps_.paths.home, l.workspacePort, l.daemonPort);
    auto now = Mono::now();
    for (auto& u : units_) {
        if (u.get() != server_ && !deps_.daemonDisabledReason.empty()) {
            u->disable(deps_.daemonDisabledReason);
            continue;
        }
        // A child left running by a supervisor that died (or started by
        // hand) keeps its port: watch it instead of failing to bind beside it.
        const std::string& pidFile = u.get() == server_ ? deps_.paths.serverPid : deps_.paths.daemonPid;
        const std::string role = u.get() == server_ ? "workspace" : "daemon";
        if (auto rec = liveRecord(pidFile); rec && rec->role == role && u->adopt(*rec, now)) continue;
        u->start(now);
    }
    inv.out() << "always-on: supervising wildws serve and wildws daemon (supervisor pid " << ::getpid() << ")\n";
    inv.out().flush();
    handleRequests(now);
    writeStatusFile();

    loop(stopFd, watch.get(), false);

    log->info("supervisor stopping: SIGTERM to each child's process group, SIGKILL after {} ms",
              deps_.settings.stopGrace.count());
    now = Mono::now();
    for (auto& u : units_) u->stop(now);
    if (pendingRestart_) restartOutcome(false, "the supervisor stopped before the restarted server answered /health");
    settleDeferredRestart(false, "the supervisor is stopping");
    writeStatusFile();
    bool clean = loop(stopFd, nullptr, true);
    done = true;
    watcher.join();
    ::close(stopFd);
    cleanup();
    log->info("supervisor stopped{}", clean ? "" : " (a child did not exit even after SIGKILL)");
    return 0;
}

bool Supervisor::loop(int stopFd, DirWatch* watch, bool stopping) {
    enum class Kind { Stop, Watch, Exit, Output, Probe };
    struct Slot {
        Kind kind;
        ChildUnit* unit;
    };
    const auto giveUpAt = Mono::now() + deps_.settings.stopGrace + kShutdownSlack;
    for (;;) {
        auto now = Mono::now();
        // A restart that waited for the server to start runs here, outside
        // the unit's own callbacks (becameHealthy only marks it due).
        if (deferredDue_ && !stopping) {
            deferredDue_ = false;
            settleDeferredRestart(true, "");
        }
        for (auto& u : units_) u->onTimers(now);
        bool changed = statusDirty_;
        for (auto& u : units_) changed = u->takeChanged() || changed;
        if (changed) writeStatusFile();
        if (stopping) {
            bool any = false;
            for (auto& u : units_) any = any || u->hasChild();
            if (!any) return true;
            if (now > giveUpAt) return false;
        }

        std::vector<pollfd> fds;
        std::vector<Slot> slots;
        auto add = [&](int fd, short events, Kind kind, ChildUnit* unit) {
            if (fd < 0 || events == 0) return;
            fds.push_back({fd, events, 0});
            slots.push_back({kind, unit});
        };
        if (!stopping) add(stopFd, POLLIN, Kind::Stop, nullptr);
        if (watch) add(watch->fd(), POLLIN, Kind::Watch, nullptr);
        auto deadline = now + ms(1000);
        for (auto& u : units_) {
            add(u->outputFd(), POLLIN, Kind::Output, u.get());
            add(u->probeFd(), u->probeEvents(), Kind::Probe, u.get());
            add(u->exitFd(), POLLIN, Kind::Exit, u.get());
            deadline = std::min(deadline, u->nextDeadline(now));
        }
        // Round up: waking a hair early would only spin.
        auto wait = std::chrono::duration_cast<ms>(deadline - now).count() + 1;
        int rc = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<std::int64_t>(wait, 0)));
        if (rc < 0 && errno != EINTR) {
            deps_.log->error("poll failed: {}", std::strerror(errno));
            std::this_thread::sleep_for(ms(100));
            continue;
        }
        if (rc <= 0) continue;
        now = Mono::now();
        for (std::size_t i = 0; i < fds.size(); ++i) {
            short rev = fds[i].revents;
            if (!rev) continue;
            ChildUnit* u = slots[i].unit;
            switch (slots[i].kind) {
            case Kind::Stop: return false;
            case Kind::Watch:
                watch->drain();
                if (watch->directoryGone()) {
                    deps_.log->error("the home {} was removed or moved: stopping", deps_.paths.home);
                    return false;
                }
                handleRequests(now);
                break;
            // A handler may have replaced the unit's child since poll()
            // returned: only act on the fd it was polled for.
            case Kind::Output:
                if (u->outputFd() == fds[i].fd) u->onOutputReady();
                break;
            case Kind::Probe:
                if (u->probeFd() == fds[i].fd) u->onProbeReady(rev, now);
                break;
            case Kind::Exit:
                if (u->exitFd() == fds[i].fd) u->onExitReady(now);
                break;
            }
        }
    }
}

void Supervisor::handleRequests(Mono::time_point now) {
    handleControlRequest(now);
    handleRestartRequest(now);
}

void Supervisor::handleRestartRequest(Mono::time_point now) {
    auto text = takeRequest(deps_.paths.restartRequest);
    if (!text) return;
    std::string error;
    auto request = parseRestartRequest(*text, error);
    if (!request) {
        audit_.record("restart-server", 2, false, "ignored a restart request: " + error + " - nothing was signalled");
        return;
    }
    const std::string by = "requested by " + request->actor + ": " + quoteReason(request->reason) + "; nonce " +
                           request->nonce;
    deps_.log->info("restart request taken ({})", by);
    ChildUnit& server = *server_;
    if (server.hasChild() && !server.stopping() && server.state() == State::Starting) {
        // The 202 said "requested": carry it out once the server is up (or
        // say why not if it never comes up), instead of refusing it.
        if (deferredRestart_) {
            refuseRestart(*request, "not restarted: another restart request (nonce " + deferredRestart_->nonce +
                                        ") is already waiting for the server to finish starting - nothing was "
                                        "signalled (" + by + ")");
            return;
        }
        deps_.log->info("the server is starting: the restart waits until it answers /health ({})", by);
        deferredRestart_ = *request;
        return;
    }
    performRestart(*request, now);
}

void Supervisor::refuseRestart(const RestartRequest& request, const std::string& detail) {
    audit_.record("restart-server", 2, false, detail);
    writeRestartResult({request.nonce, false, detail, server_ && server_->hasChild() ? server_->pid() : 0, 0});
}

void Supervisor::writeRestartResult(const RestartResult& result) {
    try {
        wildws::writeFileAtomic(deps_.paths.restartResult, restartResultJson(result));
    } catch (const std::exception& e) {
        deps_.log->warn("could not write {}: {}", deps_.paths.restartResult, e.what());
    }
}

void Supervisor::performRestart(const RestartRequest& request, Mono::time_point now) {
    const std::string by = "requested by " + request.actor + ": " + quoteReason(request.reason) + "; nonce " +
                           request.nonce;
    ms wait{0};
    if (!restartLimiter_.allows(now, wait)) {
        refuseRestart(request, "rate-limited: at most one restart per " +
                                   std::to_string(deps_.settings.restartMinInterval.count() / 1000) +
                                   "s, the next is allowed in " + std::to_string((wait.count() + 999) / 1000) +
                                   "s - request consumed, nothing signalled (" + by + ")");
        return;
    }
    ChildUnit& server = *server_;
    if (!server.hasChild() || server.stopping() || server.state() != State::Running) {
        auto s = server.status();
        refuseRestart(request, "not restarted: the server is " + s.state + (server.stopping() ? " (stopping)" : "") +
                                   (s.reason.empty() ? "" : " (" + s.reason + ")") + " - nothing was signalled (" +
                                   by + ")");
        return;
    }
    // server.pid must name our own child: same pid AND same start time. A
    // file naming any other process (a reused pid, a forged file) is never
    // acted on, and the signal itself goes through the child's pidfd.
    auto record = readPidRecord(deps_.paths.serverPid);
    if (!record) {
        refuseRestart(request, "not restarted: " + deps_.paths.serverPid +
                                   " is missing or unreadable, so it cannot be matched to the supervised server (pid " +
                                   std::to_string(server.pid()) + ") - nothing was signalled (" + by + ")");
        return;
    }
    if (auto why = mismatch(*record, server.pid(), server.startTime())) {
        refuseRestart(request, "not restarted: server.pid does not name the supervised server: " + *why +
                                   " - nothing was signalled (" + by + ")");
        return;
    }
    restartLimiter_.performed(now);
    pendingRestart_ = PendingRestart{request.nonce, by, server.pid(), now};
    deps_.log->warn("restarting the server (pid {}) on a support request ({})", server.pid(), by);
    server.restart(now, "restart-server support action, nonce " + request.nonce);
}

/// A restart that waited for the server to start: run it now that it is up,
/// or refuse it now that it will not come up.
void Supervisor::settleDeferredRestart(bool serverUp, const std::string& why) {
    if (!deferredRestart_) return;
    RestartRequest request = *deferredRestart_;
    deferredRestart_.reset();
    if (serverUp) return performRestart(request, Mono::now());
    refuseRestart(request, "not restarted: the server did not finish starting (" + why +
                               ") - nothing was signalled (requested by " + request.actor + ": " +
                               quoteReason(request.reason) + "; nonce " + request.nonce + ")");
}

void Supervisor::handleControlRequest(Mono::time_point now) {
    auto text = takeRequest(deps_.paths.controlRequest);
    if (!text) return;
    auto request = parseControlRequest(*text);
    if (!request) {
        deps_.log->warn("ignored {}: not a valid request", deps_.paths.controlRequest);
        return;
    }
    deps_.log->info("'always-on start' asked again{}", request->clearSafeMode ? " with --clear-safe-mode" : "");
    for (auto& u : units_) {
        if (request->retryFatal && u->state() == State::Fatal) u->retry(now);
        // The loader read safe-mode.json when the child started: only a new
        // child loads the plugins it no longer names.
        if (request->clearSafeMode && u->safeMode() && u->hasChild() && !u->stopping())
            u->restart(now, "safe mode cleared");
    }
    controlNonce_ = request->nonce;
    statusDirty_ = true;
}

void Supervisor::writeStatusFile() {
    SupervisorStatus s;
    s.pid = ::getpid();
    s.startTime = startTime_;
    s.startedAt = startedAt_;
    s.version = deps_.version;
    s.updatedAt = common::nowMs();
    s.controlNonce = controlNonce_;
    for (auto& u : units_) s.children.push_back(u->status());
    try {
        writeStatus(deps_.paths.status, s);
        statusDirty_ = false;
    } catch (const std::exception& e) {
        deps_.log->error("cannot write {}: {}", deps_.paths.status, e.what());
    }
}

void Supervisor::cleanup() {
    ::unlink(deps_.paths.status.c_str());
    removeIfNames(deps_.paths.supervisorPid, ::getpid());
    if (lock_) lock_->releaseAndRemove();
}

CrashLoopVerdict Supervisor::crashLooped(ChildUnit& unit, const ExitStatus& last, int pid) {
    if (!deps_.settings.safeMode) return {false, "safe mode is off ([plugin.supervisor] safe_mode = false)"};
    auto crash = pid > 0 ? lastCrashOf(deps_.paths.crashLog, pid) : std::nullopt;
    auto decision = decideSafeMode(readSafeMode(deps_.paths.safeMode), last, crash, unit.name(), common::nowMs());
    if (!decision.apply) return {false, "safe mode not tried: " + decision.whyNot};
    try {
        writeSafeMode(deps_.paths.safeMode, decision.next);
    } catch (const std::exception& e) {
        return {false, std::string("safe mode could not be written: ") + e.what()};
    }
    deps_.log->warn("{} - the {} crash-looped; run 'wildws always-on start --clear-safe-mode' to try it again",
                    decision.summary, unit.name());
    audit_.record("safe-mode", 0, true,
                  decision.summary + " - the " + unit.name() + " crash-looped (" +
                      std::to_string(deps_.settings.crashLoopStarts) +
                      " starts without becoming healthy); it stays disabled until 'wildws always-on start "
                      "--clear-safe-mode'");
    return {true, decision.summary};
}

void Supervisor::restartOutcome(bool ok, const std::string& detail) {
    if (!pendingRestart_) return;
    audit_.record("restart-server", 2, ok, detail + " (" + pendingRestart_->description + ")");
    writeRestartResult({pendingRestart_->nonce, ok, detail, pendingRestart_->oldPid,
                        ok && server_ ? server_->pid() : 0});
    pendingRestart_.reset();
}

void Supervisor::becameHealthy(ChildUnit& unit) {
    if (&unit == server_ && deferredRestart_) {
        deferredDue_ = true; // carried out by the loop, right after this callback
        return;
    }
    if (&unit != server_ || !pendingRestart_ || unit.pid() == pendingRestart_->oldPid) return;
    restartOutcome(true, "restarted the server: pid " + std::to_string(pendingRestart_->oldPid) + " -> pid " +
                             std::to_string(unit.pid()) + ", answering /health " +
                             std::to_string(msBetween(pendingRestart_->requestedAt, Mono::now())) +
                             " ms after the request");
}

void Supervisor::exited(ChildUnit& unit, int pid, const ExitStatus& status, bool requested) {
    if (&unit == server_ && deferredRestart_)
        settleDeferredRestart(false, pid > 0 ? "pid " + std::to_string(pid) + " exited with " + describe(status)
                                             : "it could not be started");
    if (&unit != server_ || !pendingRestart_) return;
    if (requested && pid == pendingRestart_->oldPid) return; // the restart itself
    if (pid <= 0) {
        auto s = unit.status();
        restartOutcome(false, "the server could not be started again: " +
                                  (s.lastExit ? s.lastExit->cause : std::string("unknown error")));
        return;
    }
    if (pid != pendingRestart_->oldPid)
        restartOutcome(false, "the restarted server (pid " + std::to_string(pid) + ") exited with " +
                                  describe(status) + " before answering /health");
    else
        restartOutcome(false, "the server (pid " + std::to_string(pid) + ") exited with " + describe(status) +
                                  " before the restart could complete");
}

void Supervisor::wentFatal(ChildUnit& unit) {
    if (&unit == server_) settleDeferredRestart(false, "it went fatal: " + unit.status().reason);
    if (&unit == server_) restartOutcome(false, "the server went fatal: " + unit.status().reason);
}

} // namespace wildws::supervisor
