// On a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), appends one
// JSON line to <home>/crash.log naming the plugin and the call that were
// running on the crashing thread, then lets the signal kill the process:
//   {"ts":1795540176970,"pid":4242,"signal":"SIGSEGV","plugin":"x","call":"GET /api/x"}
// "plugin" is "" when no plugin code was running (a host crash). The
// supervisor reads the last line to decide which plugin safe mode disables.
// Only async-signal-safe calls run inside the handler.
#pragma once

#include <string>

namespace wildws::host {

void installCrashLog(const std::string& path);

} // namespace wildws::host
