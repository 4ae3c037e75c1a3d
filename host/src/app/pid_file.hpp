// server.pid / daemon.pid: who is listening where. {pid, startTime (the
// process start time from /proc, so a reused pid is told apart), startedAt
// (ms), port, version, role}. Written atomically 0600 once listening;
// removed on clean exit only if it still names this process.
#pragma once

#include <wildws/process.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::host {

struct PidRecord {
    int pid = 0;
    std::uint64_t startTime = 0; // /proc/<pid>/stat field 22, clock ticks since boot
    std::int64_t startedAt = 0;
    int port = 0;
    std::string version;
    std::string role;
};

/// Field 22 of /proc/<pid>/stat; nullopt when the process does not exist (the SDK's).
using wildws::processStartTime;

void writePidFile(const std::string& path, const PidRecord& record);
std::optional<PidRecord> readPidFile(const std::string& path);
/// The record, if the process it names is alive and is the same process.
std::optional<PidRecord> liveOwner(const std::string& path);
/// Removes `path` if it names this process.
void removePidFileIfOurs(const std::string& path);

} // namespace wildws::host
