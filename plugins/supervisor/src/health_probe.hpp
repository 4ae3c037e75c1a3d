// GET /health without blocking: the supervisor's one thread runs probes of
// both children inside the same poll() that watches their pidfds, so a
// wedged child's 2 s probe timeout never delays noticing the other child's
// exit. A raw socket (not Poco::Net) because it has to be a poll()able
// state machine. The answer must be 200 with {"status":"ok"} AND the
// expected role, so another program that took the port does not pass.
#pragma once

#include "clock.hpp"

#include <string>

namespace wildws::supervisor {

struct HealthResult {
    bool ok = false;
    std::string why;     // when !ok: "connection refused", "timed out after 2000 ms", ...
    std::string role;    // from the answer
    std::string version;
};

/// Checks a whole raw HTTP response (head and body, possibly chunked).
HealthResult parseHealthResponse(const std::string& raw, const std::string& expectedRole);

class HealthProbe {
public:
    HealthProbe() = default;
    ~HealthProbe();
    HealthProbe(const HealthProbe&) = delete;
    HealthProbe& operator=(const HealthProbe&) = delete;

    /// Starts a probe of host:port (host "127.0.0.1" or "::1").
    void start(const std::string& host, int port, const std::string& expectedRole, Mono::time_point deadline);
    bool active() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    short events() const;
    Mono::time_point deadline() const { return deadline_; }
    /// Feeds poll()'s revents; true once the probe has finished.
    bool onReady(short revents);
    /// Ends the probe as timed out when `now` is past the deadline; true if it did.
    bool expireIfDue(Mono::time_point now);
    /// Valid after the probe finished.
    const HealthResult& result() const { return result_; }
    void cancel();

private:
    void finish(bool ok, const std::string& why);
    enum class Phase { Idle, Connecting, Sending, Reading } phase_ = Phase::Idle;
    int fd_ = -1;
    std::string request_;
    std::size_t sent_ = 0;
    std::string response_;
    std::string role_;
    Mono::time_point started_{};
    Mono::time_point deadline_{};
    HealthResult result_;
};

/// One blocking probe (for the CLI: `always-on start` waiting for health).
HealthResult probeHealth(const std::string& host, int port, const std::string& expectedRole, ms timeout);

} // namespace wildws::supervisor
