#include "cli/invocation.hpp"

#include "app/signals.hpp"

#include <atomic>

namespace wildws::host {
namespace {

// Set once the running command has been told about a stop request.
std::atomic<bool> gStopSeen{false};

bool seen(bool stop) {
    if (stop) gStopSeen.store(true);
    return stop;
}

} // namespace

bool CliInvocation::interrupted() const { return seen(Signals::stopRequested()); }

bool CliInvocation::waitInterrupted(std::chrono::milliseconds d) const { return seen(Signals::waitFor(d)); }

bool commandSawStop() { return gStopSeen.load(); }

} // namespace wildws::host
