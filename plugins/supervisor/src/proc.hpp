// What /proc and pidfds say about a process. A pid alone names nothing
// reliable (pids are reused), so every decision to signal a process pairs
// the pid with its start time (field 22 of /proc/<pid>/stat) and then goes
// through a pidfd, which keeps naming the same process even if the pid is
// reused afterwards.
#pragma once

#include <wildws/process.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::supervisor {

/// Start time (field 22) and state (field 3) of /proc/<pid>/stat: the SDK's.
using wildws::processStartTime;
using wildws::processState;

/// Exists and is not a zombie.
bool processRunning(int pid);
/// The process's argv joined by spaces ("" when gone or unreadable).
std::string processCommandLine(int pid);

/// pidfd_open(2): -1 with errno on failure. The fd is O_CLOEXEC.
int pidfdOpen(int pid);
/// pidfd_send_signal(2); false with errno on failure.
bool pidfdSignal(int pidfd, int signal);
/// A pidfd for `pid` only if its start time still equals `startTime`,
/// checked AFTER the pidfd is open, so the fd provably names that process.
int pidfdIfSame(int pid, std::uint64_t startTime);

/// "SIGSEGV" for 11, "signal 64" when unnamed.
std::string signalName(int signal);

} // namespace wildws::supervisor
