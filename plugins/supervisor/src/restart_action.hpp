// The `restart-server` support action (tier 2, daemon role). The support_api
// plugin authorizes and audits the call before run(); run() only hands the
// request to the supervisor through restart-request.json, because the
// supervisor is the one process that can restart the server safely (it is
// the server's parent, it holds the pidfd, it respawns). With no supervisor
// holding the lock it refuses: killing a server nobody restarts is an outage.
#pragma once

#include <wildws/support.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace wildws::supervisor {

/// `minIntervalSeconds` is the supervisor's rate limit, only for the words.
/// A call with `wait` (?wait=1) answers with the outcome instead of 202:
/// 200 {status:"restarted", nonce, oldPid, pid, message}, 409 not-restarted
/// (the reason: rate-limited, the server did not come up, ...), or 504
/// restart-timeout after `waitLimit` (the outcome then is only in the audit).
SupportActionSpec restartServerAction(const std::string& home, long long minIntervalSeconds,
                                      std::chrono::milliseconds waitLimit = std::chrono::seconds(90));

/// The args check: {} or {"reason": "<= 500 chars"}; nullopt when fine.
std::optional<std::string> validateRestartArgs(const std::string& argsJson);

} // namespace wildws::supervisor
