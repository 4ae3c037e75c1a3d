// The supervision loop behind `wildws always-on run`: holds the lock, runs
// one ChildUnit per child from a single poll() over their pidfds, output
// pipes and health probes, the home's inotify fd and a stop eventfd; takes
// restart and control requests; decides safe mode; keeps the status file.
#pragma once

#include "audit.hpp"
#include "child_unit.hpp"
#include "launch.hpp"
#include "lock.hpp"
#include "paths.hpp"
#include "restart_request.hpp"
#include "settings.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace wildws {
class Invocation;
class Services;
}

namespace wildws::supervisor {

/// Exit code of `always-on run` when another supervisor holds the lock.
constexpr int kExitAlreadyRunning = 3;

struct SupervisorDeps {
    Paths paths;
    Launch launch;
    Settings settings;
    std::string version;
    std::string daemonDisabledReason; // non-empty: do not supervise the daemon
    std::shared_ptr<spdlog::logger> log;
    Services* services = nullptr;
};

class Supervisor : private UnitListener {
public:
    explicit Supervisor(SupervisorDeps deps);
    ~Supervisor() override;
    /// Runs until SIGINT/SIGTERM (through `inv`) or the home disappears.
    /// 0 after a clean stop, kExitAlreadyRunning, or 1.
    int run(Invocation& inv);

private:
    struct PendingRestart {
        std::string nonce;
        std::string description;
        int oldPid = 0;
        Mono::time_point requestedAt;
    };

    bool acquireLock(Invocation& inv);
    /// Polls until a stop is asked for (false) or, when `stopping`, until
    /// every child is gone (true).
    bool loop(int stopFd, class DirWatch* watch, bool stopping);
    void handleRequests(Mono::time_point now);
    void handleRestartRequest(Mono::time_point now);
    void handleControlRequest(Mono::time_point now);
    void writeStatusFile();
    void cleanup();

    CrashLoopVerdict crashLooped(ChildUnit& unit, const ExitStatus& last, int pid) override;
    void becameHealthy(ChildUnit& unit) override;
    void exited(ChildUnit& unit, int pid, const ExitStatus& status, bool requested) override;
    void wentFatal(ChildUnit& unit) override;
    void restartOutcome(bool ok, const std::string& detail);
    void performRestart(const RestartRequest& request, Mono::time_point now);
    void refuseRestart(const RestartRequest& request, const std::string& detail);
    void settleDeferredRestart(bool serverUp, const std::string& why);
    void writeRestartResult(const RestartResult& result);

    SupervisorDeps deps_;
    Audit audit_;
    std::optional<SupervisorLock> lock_;
    std::vector<std::unique_ptr<ChildUnit>> units_;
    ChildUnit* server_ = nullptr;
    RestartRateLimiter restartLimiter_;
    std::optional<PendingRestart> pendingRestart_;
    /// Taken while the server was starting: carried out once it is healthy.
    std::optional<RestartRequest> deferredRestart_;
    bool deferredDue_ = false; // the server became healthy: run deferredRestart_ from the loop
    std::string controlNonce_;
    std::int64_t startedAt_ = 0;
    std::uint64_t startTime_ = 0;
    bool statusDirty_ = true;
};

} // namespace wildws::supervisor
