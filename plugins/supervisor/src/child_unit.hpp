// One supervised child (the server or the daemon) and its whole state
// machine: spawn, health, backoff, crash loop, wedge, restart, stop. The
// units share nothing, which is what keeps the daemon up while the server
// crash-loops and the other way round. All timers are monotonic; the
// supervisor's single thread drives every unit from one poll() loop.
#pragma once

#include "backoff.hpp"
#include "child_process.hpp"
#include "clock.hpp"
#include "crash_loop.hpp"
#include "health_probe.hpp"
#include "pid_record.hpp"
#include "rotating_file.hpp"
#include "settings.hpp"
#include "status_file.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace wildws::supervisor {

enum class State { Stopped, Starting, Running, Backoff, Fatal, Disabled };
const char* stateName(State s);

struct UnitConfig {
    std::string name;      // "server", "daemon"
    std::string role;      // what /health must say: "workspace", "daemon"
    std::vector<std::string> argv;
    std::string pidFile;   // where the child writes {pid, port, ...} once listening
    int port = 0;          // the configured port (the pid file's wins)
    std::string probeHost;
    std::string outLog;    // logs/<name>.out.log
    std::string safeModeFile;
};

struct CrashLoopVerdict {
    bool retryInSafeMode = false;
    std::string note;      // appended to the fatal reason, or the safe-mode summary
};

class ChildUnit;

/// What the supervisor hears from a unit (on the loop thread).
class UnitListener {
public:
    virtual ~UnitListener() = default;
    /// K starts in W without health: try safe mode, or let it go fatal.
    virtual CrashLoopVerdict crashLooped(ChildUnit& unit, const ExitStatus& last, int pid) = 0;
    virtual void becameHealthy(ChildUnit& unit) = 0;
    /// The child `pid` ended; `requested` when a restart request ended it.
    virtual void exited(ChildUnit& unit, int pid, const ExitStatus& status, bool requested) = 0;
    virtual void wentFatal(ChildUnit& unit) = 0;
};

class ChildUnit {
public:
    ChildUnit(UnitConfig config, const Settings& settings, std::shared_ptr<spdlog::logger> log,
              UnitListener& listener);
    ~ChildUnit();
    ChildUnit(const ChildUnit&) = delete;
    ChildUnit& operator=(const ChildUnit&) = delete;

    const std::string& name() const { return config_.name; }
    State state() const { return state_; }
    bool hasChild() const { return child_ != nullptr; }
    bool stopping() const;
    int pid() const;
    std::uint64_t startTime() const;
    bool safeMode() const { return safeMode_; }

    // ---- commands from the supervisor
    void start(Mono::time_point now);
    /// Watches an already running child found through its pid file.
    bool adopt(const PidRecord& record, Mono::time_point now);
    void disable(const std::string& reason);
    /// SIGTERM to the group, SIGKILL after the grace; ends in Stopped.
    void stop(Mono::time_point now);
    /// SIGTERM through the pidfd, then start again at once (no backoff).
    void restart(Mono::time_point now, const std::string& cause);
    /// Out of fatal: the crash-loop count starts over.
    void retry(Mono::time_point now);

    // ---- the poll loop
    int exitFd() const;   // the pidfd (-1 in poll mode or with no child)
    int outputFd() const; // the child's stdout+stderr pipe
    int probeFd() const;
    short probeEvents() const;
    void onExitReady(Mono::time_point now);
    void onOutputReady();
    void onProbeReady(short revents, Mono::time_point now);
    /// Runs whatever timer is due.
    void onTimers(Mono::time_point now);
    Mono::time_point nextDeadline(Mono::time_point now) const;

    /// True once since the last call if anything shown in status changed.
    bool takeChanged();
    ChildStatus status() const;
    /// The child's last line of output (for reasons), "" if none.
    std::string lastOutputLine() const;

private:
    enum class Ending { None, Stop, Restart, Wedged, StartTimeout };
    struct Child;

    void spawn(Mono::time_point now);
    void end(Mono::time_point now, Ending why, const std::string& reason);
    void handleExit(Mono::time_point now, ExitStatus status);
    void afterExit(Mono::time_point now, const ExitStatus& status, Ending ending, const std::string& endReason,
                   bool healthy, Mono::time_point startedAt, int pid);
    void startProbe(Mono::time_point now);
    void probeFinished(Mono::time_point now);
    void setState(State s, const std::string& reason = {});
    int probePort() const;
    void note(const std::string& line);

    UnitConfig config_;
    const Settings& settings_;
    std::shared_ptr<spdlog::logger> log_;
    UnitListener& listener_;
    RotatingFile out_;
    std::string outTail_;
    State state_ = State::Stopped;
    std::string reason_;
    std::int64_t since_ = 0;
    bool changed_ = true;
    Backoff backoff_;
    CrashLoop crashLoop_;
    std::unique_ptr<Child> child_;
    Mono::time_point respawnAt_{};
    std::int64_t respawnAtWall_ = 0;
    int starts_ = 0;
    int restarts_ = 0;
    bool safeMode_ = false;
    std::optional<LastExit> lastExit_;
    int lastPort_ = 0;
};

} // namespace wildws::supervisor
