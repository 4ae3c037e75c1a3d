// Every file the supervisor reads or writes, all inside the wildws home.
#pragma once

#include <string>

namespace wildws::supervisor {

struct Paths {
    std::string home;
    std::string lock;           // supervisor.lock: the single-instance flock
    std::string supervisorPid;  // supervisor.pid: {pid, startTime, ...} of the holder
    std::string status;         // supervisor-status.json: states, for `status`
    std::string restartRequest; // restart-request.json: from the restart-server action
    std::string restartResult;  // restart-result.json: the outcome, for a caller that waits (?wait=1)
    std::string controlRequest; // supervisor-request.json: from `start` when already running
    std::string safeMode;       // safe-mode.json: plugins the loader must leave closed
    std::string crashLog;       // crash.log: the host's fatal-signal breadcrumbs
    std::string serverPid;      // server.pid (written by `wildws serve`)
    std::string daemonPid;      // daemon.pid (written by `wildws daemon`)
    std::string logs;
    std::string supervisorLog;  // logs/supervisor.log: our channel, and the detached stdio
    std::string serverOut;      // logs/server.out.log
    std::string daemonOut;      // logs/daemon.out.log

    static Paths of(const std::string& home) {
        Paths p;
        p.home = home;
        p.lock = home + "/supervisor.lock";
        p.supervisorPid = home + "/supervisor.pid";
        p.status = home + "/supervisor-status.json";
        p.restartRequest = home + "/restart-request.json";
        p.restartResult = home + "/restart-result.json";
        p.controlRequest = home + "/supervisor-request.json";
        p.safeMode = home + "/safe-mode.json";
        p.crashLog = home + "/crash.log";
        p.serverPid = home + "/server.pid";
        p.daemonPid = home + "/daemon.pid";
        p.logs = home + "/logs";
        p.supervisorLog = p.logs + "/supervisor.log";
        p.serverOut = p.logs + "/server.out.log";
        p.daemonOut = p.logs + "/daemon.out.log";
        return p;
    }
};

} // namespace wildws::supervisor
