#include "cli/invocation.hpp"

#include "app/signals.hpp"

namespace wildws::host {

bool CliInvocation::interrupted() const { return Signals::stopRequested(); }

bool CliInvocation::waitInterrupted(std::chrono::milliseconds d) const { return Signals::waitFor(d); }

} // namespace wildws::host
