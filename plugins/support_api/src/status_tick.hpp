// The page's live support banner, fed from serve's ActivityBus. A grant can
// change in another process (`wildws support allow|revoke` in a terminal, the
// daemon noticing expiry, a hand-edited file), and events do not cross
// processes, so a workspace tick re-reads the grant and the newest audit
// entry every 250 ms and publishes what changed:
//   support-status  the whole status (as GET /api/support/status) when the
//                   grant changed
//   support-revoked when the grant went away by a revoke
//   support-audit   {entries: [...]} the new audit entries, newest first
//   support-operate {operate: null} when a finished task's transcript clears
// Routes that change the grant themselves call publishNow() so the page
// does not wait for the tick (and the tick then sees nothing new).
#pragma once

#include "plugin_state.hpp"

#include <mutex>
#include <optional>
#include <string>

namespace wildws::support {

class StatusWatcher {
public:
    explicit StatusWatcher(PluginState& state);
    void tick();
    void publishNow();

private:
    void check(bool force);
    void publishRevoked(const std::string& actor);

    PluginState& state_;
    const long long startedAtMs_; // changes after this are news to the page
    std::mutex m_;
    bool primed_ = false;
    std::string grantKey_ = "off";
    std::string auditKey_;
    // A revoke removes the grant file before it appends its audit line: a
    // look in between sees the grant off with no revoke yet. Until then
    // (bounded), the revoke line, when it comes, is announced as the revoke.
    long long revokeAwaitedUntilMs_ = 0;
};

} // namespace wildws::support
