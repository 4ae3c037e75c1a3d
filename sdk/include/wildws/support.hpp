// wildws SDK - support actions: what a support engineer may do, per tier.
//
// Tiers: 1 read-only diagnostics and logs, 2 curated fixes, 3 operate the
// agent, 4 raw shell. A plugin registers the actions it owns; the daemon's
// `POST /api/support/actions/:name` validates the args, asks the Consent
// service to authorize (which audits every attempt, allowed or denied), and
// only then calls run(). With no Consent service, every action is denied.
#pragma once

#include <wildws/http.hpp>

#include <functional>
#include <optional>
#include <string>

namespace wildws {

struct SupportActionCall {
    std::string argsJson = "{}";   // the request's "args" object, as JSON text
    std::string actor;             // "operator"
    /// Re-checks the live grant (revoke, expiry, a hand-edited file). Long
    /// actions call it at least once a second and stop when it turns false.
    std::function<bool()> stillAllowed;
    /// The caller asked to wait for the outcome (`?wait=1`) of an action that
    /// completes later (restart-server), instead of a 202 at once (ABI 2).
    bool wait = false;
};

/// Returns nullopt when the args are fine, else one line naming the field:
/// "lines must be a whole number from 1 to 1000". The caller answers 400.
using SupportArgsValidator = std::function<std::optional<std::string>(const std::string& argsJson)>;
/// Answers through `res`: res.json(...) for a quick result, or res.stream()
/// for a long one, whose last line is {"type":"end",...}.
using SupportActionHandler = std::function<void(const SupportActionCall&, Response&)>;

struct SupportActionSpec {
    std::string name;          // "diagnostics", "logs", "restart-server", ...
    int minTier = 1;           // 1..4
    std::string description;   // one line, shown to the owner by --dry-run
    Role role = Role::Daemon;  // where it runs
    SupportArgsValidator validate; // may be empty: any args accepted
    SupportActionHandler run;
};

} // namespace wildws
