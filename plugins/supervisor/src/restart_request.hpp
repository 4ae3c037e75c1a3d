// restart-request.json: what the daemon's `restart-server` support action
// hands the supervisor, {requestedAt, actor, reason, nonce}, and the rate
// limit the supervisor applies to it (one restart per interval; requests
// beyond that are still consumed and audited, as rate-limited).
#pragma once

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::supervisor {

struct RestartRequest {
    std::int64_t requestedAt = 0; // ms since epoch
    std::string actor;            // "operator"
    std::string reason;           // free text from the support engineer, may be empty
    std::string nonce;            // ties the audit lines of one request together
};

std::string restartRequestJson(const RestartRequest& request);

/// restart-result.json: the outcome of the request with `nonce`, written by
/// the supervisor (atomically, 0600) for a restart-server caller that waits.
struct RestartResult {
    std::string nonce;
    bool ok = false;
    std::string detail; // the audit line's words
    int oldPid = 0;
    int pid = 0;        // the new server's pid when ok
};
std::string restartResultJson(const RestartResult& result);
std::optional<RestartResult> parseRestartResult(const std::string& text);
/// nullopt (and `error` set) unless it is an object with a string nonce.
std::optional<RestartRequest> parseRestartRequest(const std::string& text, std::string& error);

class RestartRateLimiter {
public:
    explicit RestartRateLimiter(ms minInterval) : minInterval_(minInterval) {}
    /// True when a restart may happen at `now`; else `wait` says for how long not.
    bool allows(Mono::time_point now, ms& wait) const;
    /// A restart was performed at `now`.
    void performed(Mono::time_point now) { last_ = now; }

private:
    ms minInterval_;
    std::optional<Mono::time_point> last_;
};

} // namespace wildws::supervisor
