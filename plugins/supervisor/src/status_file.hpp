// supervisor-status.json: the supervisor's view of itself and its children,
// rewritten atomically on every state change, read by `always-on status`,
// `always-on start` (waiting for health) and `always-on stop` (cleaning up
// after a supervisor that died). Timestamps are wall-clock ms for people;
// the supervisor's timers never read them back.
#pragma once

#include "safe_mode.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wildws::supervisor {

struct LastExit {
    std::string kind;      // "code", "signal", "unknown"
    int code = 0;
    std::string signal;    // "SIGKILL"
    std::int64_t at = 0;   // ms since epoch
    std::string cause;     // "crashed", "killed: wedged ...", "restart requested", "stopped"
};

struct ChildStatus {
    std::string name;           // "server", "daemon"
    std::string state;          // running, starting, backoff, fatal, stopped, disabled
    bool safeMode = false;      // started with safe-mode.json in effect
    bool adopted = false;       // found running at start, not spawned by us
    int pid = 0;
    std::uint64_t startTime = 0;
    int port = 0;
    int starts = 0;             // spawns by this supervisor
    int restarts = 0;           // spawns after the first
    std::optional<LastExit> lastExit;
    std::int64_t since = 0;     // ms since epoch, when `state` began
    std::int64_t nextStartAt = 0; // backoff: when the next spawn is due
    std::string reason;         // fatal / disabled / backoff: why
};

struct SupervisorStatus {
    int pid = 0;
    std::uint64_t startTime = 0;
    std::int64_t startedAt = 0;
    std::string version;
    std::int64_t updatedAt = 0;
    std::string controlNonce;   // the last supervisor-request.json handled
    std::vector<ChildStatus> children;
    std::optional<SafeMode> safeMode;
};

std::string statusJson(const SupervisorStatus& status);
std::optional<SupervisorStatus> parseStatus(const std::string& text);
std::optional<SupervisorStatus> readStatus(const std::string& path);
/// Atomic, 0600. Throws std::system_error.
void writeStatus(const std::string& path, const SupervisorStatus& status);

const ChildStatus* findChild(const SupervisorStatus& status, const std::string& name);

/// `always-on status --json`: running, uptime, children by name, safe mode.
std::string statusReportJson(const std::optional<SupervisorStatus>& status, const std::optional<SafeMode>& safeMode,
                             std::int64_t nowMs);
/// `always-on status`: the same for people.
std::string statusReportText(const std::optional<SupervisorStatus>& status, const std::optional<SafeMode>& safeMode,
                             std::int64_t nowMs);

/// "3m 12s", "45s", "1h 2m", "2d 3h".
std::string formatDuration(std::int64_t ms);

} // namespace wildws::supervisor
