// Is a wildws process up? Its pid file (server.pid / daemon.pid: {pid,
// startTime, port, role, ...}) names it; the process must be alive AND be
// the same process (its /proc/<pid>/stat start time equals startTime: a pid
// reused by something else does not count); and GET /health on its port
// must answer 200 with the right role. The daemon asks this before relaying
// an agent-task to serve.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::support {

struct ProcessProbe {
    bool up = false;
    int pid = 0;
    int port = 0;
    std::string version;
    std::int64_t startedAt = 0;
    std::string why; // when not up: one line
};

/// One request to a wildws process on 127.0.0.1 and its whole answer.
struct LoopbackReply {
    int status = 0;
    std::string body;
    std::string failure; // the request itself failed (nothing listens, the timeout): one line
};

/// `bearer` empty: no Authorization header; a POST sends `body` as JSON.
LoopbackReply loopbackCall(int port, const std::string& method, const std::string& path, const std::string& bearer,
                           const std::string& body, int timeoutMs);

/// Reads a pid file and checks that the process it names is alive and is
/// that same process (pid, port, version, startedAt filled in; `why` set
/// and `up` false otherwise). No health check.
ProcessProbe liveFromPidFile(const std::string& home, const std::string& pidFile);

/// `pidFile` is "server.pid" or "daemon.pid"; `role` "workspace" or "daemon".
ProcessProbe probeProcess(const std::string& home, const std::string& pidFile, const std::string& role,
                          int healthTimeoutMs = 1000);

} // namespace wildws::support
