// server.pid / daemon.pid (written by the host) and supervisor.pid (ours):
// {pid, startTime, startedAt, port, version, role}. The validation rules
// are pure functions so the pid-reuse cases are unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::supervisor {

struct PidRecord {
    int pid = 0;
    std::uint64_t startTime = 0; // /proc/<pid>/stat field 22
    std::int64_t startedAt = 0;  // ms since epoch
    int port = 0;
    std::string version;
    std::string role;            // "workspace", "daemon", "supervisor"
};

std::optional<PidRecord> readPidRecord(const std::string& path);
/// Atomic, 0600 (wildws::writeFileAtomic). Throws std::system_error.
void writePidRecord(const std::string& path, const PidRecord& record);

/// Why `record` does NOT name the process `pid` that started at
/// `startTime`; nullopt when it does (pid AND start time match).
std::optional<std::string> mismatch(const PidRecord& record, int pid, std::uint64_t startTime);

/// The record, if the process it names is alive (not a zombie) and has the
/// recorded start time: a live, unreused pid. Else nullopt.
std::optional<PidRecord> liveRecord(const std::string& path);

/// Removes `path` when it names `pid` (a file rewritten by someone else
/// since is left alone).
void removeIfNames(const std::string& path, int pid);

} // namespace wildws::supervisor
