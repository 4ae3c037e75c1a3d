#include "child_unit.hpp"

#include "proc.hpp"

#include <wildws/common/clock.hpp>

#include <spdlog/spdlog.h>

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace wildws::supervisor {
namespace {

constexpr ms kStartingProbeEvery{100}; // while starting: notice health fast
constexpr ms kFirstProbeAfter{50};
constexpr ms kNoPidfdCheckEvery{100};  // only without a pidfd (very old kernels)
constexpr std::size_t kTailBytes = 4096;

bool fileExists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
}

std::string seconds(ms d) { return common::durationText(d.count()); }

} // namespace

const char* stateName(State s) {
    switch (s) {
    case State::Stopped: return "stopped";
    case State::Starting: return "starting";
    case State::Running: return "running";
    case State::Backoff: return "backoff";
    case State::Fatal: return "fatal";
    case State::Disabled: return "disabled";
    }
    return "stopped";
}

struct ChildUnit::Child {
    int pid = -1;
    std::optional<ChildProcess> proc; // ours: its pipe, pidfd and group
    int adoptedPidfd = -1;            // adopted (not our child): a pidfd only
    std::uint64_t startTime = 0;
    bool adopted = false;
    Mono::time_point startedAt{};
    bool healthySeen = false;
    std::optional<Mono::time_point> healthySince;
    bool backoffReset = false;
    int failures = 0;
    std::string lastProbeError = "no answer yet";
    Mono::time_point nextProbe{};
    Mono::time_point nextExitCheck{};
    HealthProbe probe;
    Ending ending = Ending::None;
    std::string endReason;
    std::optional<Mono::time_point> killAt;

    ~Child() {
        if (adoptedPidfd >= 0) ::close(adoptedPidfd);
        // Destroyed with the child still there (the supervisor gave up on a
        // child that outlived SIGKILL): leave it, never block on it here.
        if (proc && !proc->finished()) proc->release();
    }
    int pidfd() const { return proc ? proc->pidFd() : adoptedPidfd; }
    int outFd() const { return proc ? proc->stdoutFd() : -1; }
    // Without a pidfd in the poll set (poll mode, or no pidfd at all):
    // has it exited? A zombie counts as exited.
    bool exitedNow() {
        if (proc) return proc->exited().has_value();
        if (adoptedPidfd >= 0) {
            pollfd p{adoptedPidfd, POLLIN, 0};
            return ::poll(&p, 1, 0) > 0;
        }
        return !processRunning(pid);
    }
    void signalLeader(int sig) {
        if (proc) proc->signalLeader(sig); // through the pidfd: exactly this process
        else if (adoptedPidfd >= 0) pidfdSignal(adoptedPidfd, sig);
        else ::kill(pid, sig);
    }
    // Our own unreaped child still owns its pgid, so the group cannot be
    // someone else's; an adopted one only while it still leads its group.
    void signalItsGroup(int sig) {
        if (proc) proc->signalGroup(sig);
        else if (::getpgid(pid) == pid) signalGroup(pid, sig);
    }
};

ChildUnit::ChildUnit(UnitConfig config, const Settings& settings, std::shared_ptr<spdlog::logger> log,
                     UnitListener& listener)
    : config_(std::move(config)), settings_(settings), log_(std::move(log)), listener_(listener),
      out_(config_.outLog, settings.maxLogBytes, settings.logFiles), backoff_(settings.backoffStart, settings.backoffCap),
      crashLoop_(settings.crashLoopStarts, settings.crashLoopWindow) {
    since_ = common::nowMs();
}

ChildUnit::~ChildUnit() = default;

bool ChildUnit::stopping() const { return child_ && child_->ending != Ending::None; }
int ChildUnit::pid() const { return child_ ? child_->pid : 0; }
std::uint64_t ChildUnit::startTime() const { return child_ ? child_->startTime : 0; }

void ChildUnit::setState(State s, const std::string& reason) {
    if (s != state_) since_ = common::nowMs();
    if (s != state_ || reason != reason_) changed_ = true;
    state_ = s;
    reason_ = reason;
}

bool ChildUnit::takeChanged() {
    bool c = changed_;
    changed_ = false;
    return c;
}

void ChildUnit::note(const std::string& line) {
    out_.write("--- " + common::isoUtcSeconds(common::nowMs()) + " wildws supervisor: " + line + " ---\n");
}

void ChildUnit::start(Mono::time_point now) {
    if (child_ || state_ == State::Disabled) return;
    spawn(now);
}

void ChildUnit::spawn(Mono::time_point now) {
    // safe-mode.json is read by the child's loader at start: what it says
    // now is what this child runs with.
    safeMode_ = fileExists(config_.safeModeFile);
    const bool again = starts_ > 0 || lastExit_.has_value();
    std::optional<ChildProcess> sc;
    try {
        sc.emplace(spawnSupervised(config_.argv));
    } catch (const std::exception& e) {
        ++starts_;
        if (again) ++restarts_;
        std::string why = std::string("could not start: ") + e.what();
        log_->error("{}: {}", config_.name, why);
        note(why);
        afterExit(now, ExitStatus{}, Ending::None, why, false, now, -1);
        return;
    }
    ++starts_;
    if (again) ++restarts_;
    const int pid = sc->pid();
    child_ = std::make_unique<Child>();
    child_->pid = pid;
    child_->startTime = processStartTime(pid).value_or(0);
    child_->proc = std::move(sc);
    child_->startedAt = now;
    child_->nextProbe = now + kFirstProbeAfter;
    child_->nextExitCheck = now + (settings_.exitDetection == ExitDetection::Poll ? settings_.pollInterval
                                                                                   : kNoPidfdCheckEvery);
    lastPort_ = config_.port;
    note("started " + config_.name + " (pid " + std::to_string(pid) + (safeMode_ ? ", safe mode" : "") + ")");
    log_->info("{}: started (pid {}{})", config_.name, pid, safeMode_ ? ", safe mode" : "");
    changed_ = true;
    setState(State::Starting);
}

bool ChildUnit::adopt(const PidRecord& record, Mono::time_point now) {
    if (child_) return false;
    int fd = pidfdIfSame(record.pid, record.startTime);
    if (fd < 0) return false;
    safeMode_ = fileExists(config_.safeModeFile);
    child_ = std::make_unique<Child>();
    child_->pid = record.pid;
    child_->adoptedPidfd = fd;
    child_->startTime = record.startTime;
    child_->adopted = true;
    child_->startedAt = now;
    child_->nextProbe = now;
    child_->nextExitCheck = now + (settings_.exitDetection == ExitDetection::Poll ? settings_.pollInterval
                                                                                   : kNoPidfdCheckEvery);
    lastPort_ = record.port;
    log_->info("{}: adopted the running {} (pid {}, port {}) named by {}", config_.name, config_.name, record.pid,
               record.port, config_.pidFile);
    changed_ = true;
    setState(State::Starting);
    return true;
}

void ChildUnit::disable(const std::string& reason) {
    if (child_) return;
    setState(State::Disabled, reason);
    log_->info("{}: not supervised: {}", config_.name, reason);
}

void ChildUnit::stop(Mono::time_point now) {
    if (child_) {
        end(now, Ending::Stop, "the supervisor is stopping");
    } else if (state_ != State::Disabled) {
        setState(State::Stopped);
    }
}

void ChildUnit::restart(Mono::time_point now, const std::string& cause) {
    if (!child_ || child_->ending != Ending::None) return;
    end(now, Ending::Restart, cause);
}

void ChildUnit::retry(Mono::time_point now) {
    if (state_ != State::Fatal || child_) return;
    crashLoop_.clear();
    backoff_.reset();
    log_->info("{}: was fatal; starting it again (the crash-loop count starts over)", config_.name);
    spawn(now);
}

void ChildUnit::end(Mono::time_point now, Ending why, const std::string& reason) {
    if (!child_) return;
    Child& c = *child_;
    if (c.ending == Ending::Stop) return; // a stop is final; nothing overrides it
    bool already = c.ending != Ending::None;
    c.ending = why;
    c.endReason = reason;
    c.probe.cancel();
    if (already) return; // signals and the SIGKILL deadline are already on their way
    // The pidfd names exactly this process even if its pid were reused.
    c.signalLeader(SIGTERM);
    // A restart asks only the server itself (it shuts down cleanly); a stop
    // or a wedge reaches its whole group.
    if (why != Ending::Restart) c.signalItsGroup(SIGTERM);
    c.killAt = now + settings_.stopGrace;
}

int ChildUnit::exitFd() const {
    if (!child_ || settings_.exitDetection == ExitDetection::Poll) return -1;
    return child_->pidfd();
}

int ChildUnit::outputFd() const { return child_ ? child_->outFd() : -1; }
int ChildUnit::probeFd() const { return child_ && child_->probe.active() ? child_->probe.fd() : -1; }
short ChildUnit::probeEvents() const { return child_ ? child_->probe.events() : 0; }

void ChildUnit::onOutputReady() {
    if (!child_ || child_->outFd() < 0) return;
    char buf[16384];
    // 0: EOF, every writer is gone (the pipe is closed for us); -1: drained.
    for (long n; (n = child_->proc->read(ChildProcess::Stream::Stdout, buf, sizeof buf)) > 0;) {
        std::string_view chunk(buf, static_cast<std::size_t>(n));
        out_.write(chunk);
        outTail_.append(chunk);
        if (outTail_.size() > kTailBytes) outTail_.erase(0, outTail_.size() - kTailBytes);
    }
}

std::string ChildUnit::lastOutputLine() const {
    std::size_t end = outTail_.size();
    while (end > 0) {
        std::size_t start = outTail_.rfind('\n', end - 1);
        start = start == std::string::npos ? 0 : start + 1;
        std::string line = outTail_.substr(start, end - start);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty() && line.rfind("--- ", 0) != 0) return line;
        if (start == 0) break;
        end = start - 1;
    }
    return "";
}

void ChildUnit::onExitReady(Mono::time_point now) {
    if (!child_) return;
    ExitStatus status;
    if (child_->proc) {
        onOutputReady(); // keep what it wrote last, before the pipe goes
        // Kills anything left in its group, waits until it is all gone, and
        // only then reaps the leader (until then its pgid stays ours).
        status = fromProcessExit(child_->proc->finish());
    }
    handleExit(now, status);
}

void ChildUnit::handleExit(Mono::time_point now, ExitStatus status) {
    onOutputReady(); // keep what it wrote last
    std::unique_ptr<Child> c = std::move(child_);
    afterExit(now, status, c->ending, c->endReason, c->healthySeen, c->startedAt, c->pid);
}

void ChildUnit::afterExit(Mono::time_point now, const ExitStatus& status, Ending ending,
                          const std::string& endReason, bool healthy, Mono::time_point startedAt, int pid) {
    LastExit le;
    le.kind = !status.known ? "unknown" : status.signaled ? "signal" : "code";
    le.code = status.code;
    le.signal = status.signaled ? signalName(status.signal) : "";
    le.at = common::nowMs();
    std::string what = status.known ? describe(status) : (pid > 0 ? "an unknown status (not our child)" : endReason);
    switch (ending) {
    case Ending::Stop: le.cause = "stopped"; break;
    case Ending::Restart: le.cause = "restarted: " + endReason; break;
    case Ending::Wedged:
    case Ending::StartTimeout: le.cause = endReason; break;
    case Ending::None: le.cause = pid > 0 ? (status.signaled ? "crashed" : "exited") : endReason; break;
    }
    lastExit_ = le;
    changed_ = true;
    if (pid > 0) {
        removeIfNames(config_.pidFile, pid); // a killed child cannot remove its own
        note(config_.name + " (pid " + std::to_string(pid) + ") exited with " + what);
    }
    listener_.exited(*this, pid, status, ending == Ending::Restart);

    if (ending == Ending::Stop) {
        log_->info("{}: stopped (pid {}, {})", config_.name, pid, what);
        setState(State::Stopped);
        return;
    }
    if (ending == Ending::Restart) {
        log_->info("{}: pid {} ended ({}) for a restart: {}; starting it again now", config_.name, pid, what,
                   endReason);
        spawn(now);
        return;
    }
    std::string output = lastOutputLine();
    if (!healthy && crashLoop_.recordUnhealthy(startedAt, now)) {
        std::string base = "crash loop: " + std::to_string(crashLoop_.limit()) + " starts within " +
                           seconds(crashLoop_.window()) + " and none became healthy; last exit " + what +
                           (ending != Ending::None ? " (" + endReason + ")" : "") +
                           (output.empty() ? "" : ", last output: " + output);
        CrashLoopVerdict v = listener_.crashLooped(*this, status, pid);
        if (v.retryInSafeMode) {
            crashLoop_.clear();
            backoff_.reset();
            log_->warn("{}: {}; {} - starting it once more in safe mode", config_.name, base, v.note);
            spawn(now);
            return;
        }
        setState(State::Fatal, base + (v.note.empty() ? "" : "; " + v.note) +
                                   " - fix the cause, then run 'wildws always-on start'");
        log_->error("{}: fatal, no more starts: {}", config_.name, reason_);
        listener_.wentFatal(*this);
        return;
    }
    ms delay = backoff_.next();
    respawnAt_ = now + delay;
    respawnAtWall_ = common::nowMs() + delay.count();
    std::string why = "exited with " + what + (ending != Ending::None ? " (" + endReason + ")" : "") +
                      (!healthy && !output.empty() ? ", last output: " + output : "");
    setState(State::Backoff, why);
    log_->warn("{}: {}; starting again in {} ms", config_.name, why, delay.count());
}

int ChildUnit::probePort() const {
    // The pid file is written once the child listens; it wins over the
    // configured port (port 0 means "any free port").
    if (child_) {
        if (auto r = readPidRecord(config_.pidFile); r && r->pid == child_->pid && r->port > 0) return r->port;
    }
    return config_.port;
}

void ChildUnit::startProbe(Mono::time_point now) {
    int port = probePort();
    if (port != lastPort_) {
        lastPort_ = port;
        changed_ = true;
    }
    child_->probe.start(config_.probeHost, port, config_.role, now + settings_.healthTimeout);
    if (!child_->probe.active()) probeFinished(now); // failed at once (refused)
}

void ChildUnit::probeFinished(Mono::time_point now) {
    Child& c = *child_;
    const HealthResult& r = c.probe.result();
    if (r.ok) {
        c.failures = 0;
        if (!c.healthySeen) {
            auto uptime = std::chrono::duration_cast<ms>(now - c.startedAt);
            // Like supervisord's startsecs: answering once is not enough, it
            // must also have stayed up a moment, or a child that dies right
            // after its first answer would never count as a crash loop.
            if (!c.adopted && uptime < settings_.healthyAfter) {
                c.nextProbe = c.startedAt + settings_.healthyAfter;
                return;
            }
            c.healthySeen = true;
            c.healthySince = now;
            crashLoop_.clear();
            setState(State::Running);
            log_->info("{}: healthy (pid {}, port {}, {} ms after start{})", config_.name, c.pid, lastPort_,
                       uptime.count(), safeMode_ ? ", safe mode" : "");
            listener_.becameHealthy(*this);
            if (!child_) return;
        } else if (!c.healthySince) {
            c.healthySince = now;
        }
        c.nextProbe = now + settings_.healthInterval;
        return;
    }
    c.lastProbeError = r.why;
    if (!c.healthySeen) { // still starting: the start timeout decides
        c.nextProbe = now + std::min(settings_.healthInterval, kStartingProbeEvery);
        return;
    }
    ++c.failures;
    c.healthySince.reset();
    c.backoffReset = false;
    log_->warn("{}: /health failed ({} of {} in a row): {}", config_.name, c.failures, settings_.healthFailures, r.why);
    if (c.failures >= settings_.healthFailures) {
        std::string why = "wedged: /health failed " + std::to_string(c.failures) + " times in a row (last: " + r.why +
                          ")";
        log_->error("{}: {} - killing its process group (pid {})", config_.name, why, c.pid);
        end(now, Ending::Wedged, why);
        return;
    }
    c.nextProbe = now + settings_.healthInterval;
}

void ChildUnit::onProbeReady(short revents, Mono::time_point now) {
    if (!child_ || !child_->probe.active()) return;
    if (child_->probe.onReady(revents)) probeFinished(now);
}

void ChildUnit::onTimers(Mono::time_point now) {
    if (!child_) {
        if (state_ == State::Backoff && now >= respawnAt_) spawn(now);
        return;
    }
    Child& c = *child_;
    if (exitFd() < 0 && now >= c.nextExitCheck) {
        c.nextExitCheck = now + (settings_.exitDetection == ExitDetection::Poll ? settings_.pollInterval
                                                                                 : kNoPidfdCheckEvery);
        if (c.exitedNow()) {
            onExitReady(now);
            return;
        }
    }
    if (c.killAt && now >= *c.killAt) {
        log_->warn("{}: pid {} still running {} ms after SIGTERM - SIGKILL to its group", config_.name, c.pid,
                   settings_.stopGrace.count());
        c.signalLeader(SIGKILL);
        c.signalItsGroup(SIGKILL);
        c.killAt.reset();
    }
    if (c.ending != Ending::None) return;
    if (c.probe.active() && c.probe.expireIfDue(now)) {
        probeFinished(now);
        if (!child_ || child_->ending != Ending::None) return;
    }
    if (!c.probe.active() && now >= c.nextProbe) {
        startProbe(now);
        if (!child_ || child_->ending != Ending::None) return;
    }
    if (!c.healthySeen && now - c.startedAt >= settings_.startTimeout) {
        std::string why = "did not answer /health within " + seconds(settings_.startTimeout) + " (last: " +
                          c.lastProbeError + ")";
        log_->error("{}: {} - killing its process group (pid {})", config_.name, why, c.pid);
        end(now, Ending::StartTimeout, why);
        return;
    }
    if (c.healthySince && !c.backoffReset && now - *c.healthySince >= settings_.healthyReset) {
        backoff_.reset();
        c.backoffReset = true;
    }
}

Mono::time_point ChildUnit::nextDeadline(Mono::time_point now) const {
    Mono::time_point next = now + ms(1000);
    auto consider = [&](Mono::time_point t) { next = std::min(next, t); };
    if (!child_) {
        if (state_ == State::Backoff) consider(respawnAt_);
        return next;
    }
    const Child& c = *child_;
    if (exitFd() < 0) consider(c.nextExitCheck);
    if (c.killAt) consider(*c.killAt);
    if (c.ending != Ending::None) return next;
    consider(c.probe.active() ? c.probe.deadline() : c.nextProbe);
    if (!c.healthySeen) consider(c.startedAt + settings_.startTimeout);
    if (c.healthySince && !c.backoffReset) consider(*c.healthySince + settings_.healthyReset);
    return next;
}

ChildStatus ChildUnit::status() const {
    ChildStatus s;
    s.name = config_.name;
    s.state = stateName(state_);
    s.safeMode = safeMode_;
    s.adopted = child_ && child_->adopted;
    s.pid = child_ ? child_->pid : 0;
    s.startTime = child_ ? child_->startTime : 0;
    s.port = lastPort_ > 0 ? lastPort_ : config_.port;
    s.starts = starts_;
    s.restarts = restarts_;
    s.lastExit = lastExit_;
    s.since = since_;
    s.nextStartAt = state_ == State::Backoff ? respawnAtWall_ : 0;
    s.reason = reason_;
    return s;
}

} // namespace wildws::supervisor
