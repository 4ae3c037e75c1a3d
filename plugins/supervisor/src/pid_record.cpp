#include "pid_record.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>
#include "proc.hpp"

#include <wildws/secure.hpp>

#include <unistd.h>

namespace wildws::supervisor {

std::optional<PidRecord> readPidRecord(const std::string& path) {
    auto text = readWholeFile(path);
    if (!text) return std::nullopt;
    auto o = json::parseObject(*text);
    auto pid = json::getInt(o, "pid");
    auto start = json::getInt(o, "startTime");
    if (!pid || !start || *pid <= 0 || *pid > 0x7fffffff || *start < 0) return std::nullopt;
    PidRecord r;
    r.pid = static_cast<int>(*pid);
    r.startTime = static_cast<std::uint64_t>(*start);
    r.startedAt = json::getInt(o, "startedAt").value_or(0);
    r.port = static_cast<int>(json::getInt(o, "port").value_or(0));
    r.version = json::getString(o, "version").value_or("");
    r.role = json::getString(o, "role").value_or("");
    return r;
}

void writePidRecord(const std::string& path, const PidRecord& r) {
    auto o = json::object();
    o->set("pid", r.pid);
    o->set("startTime", r.startTime);
    o->set("startedAt", r.startedAt);
    o->set("port", r.port);
    o->set("version", r.version);
    o->set("role", r.role);
    writeFileAtomic(path, json::toText(o) + "\n");
}

std::optional<std::string> mismatch(const PidRecord& record, int pid, std::uint64_t startTime) {
    if (record.pid != pid)
        return "it names pid " + std::to_string(record.pid) + ", not the supervised pid " + std::to_string(pid);
    if (record.startTime != startTime)
        return "pid " + std::to_string(pid) + " has start time " + std::to_string(startTime) + " but the file says " +
               std::to_string(record.startTime) + " (the pid was reused)";
    return std::nullopt;
}

std::optional<PidRecord> liveRecord(const std::string& path) {
    auto r = readPidRecord(path);
    if (!r) return std::nullopt;
    auto start = processStartTime(r->pid);
    if (!start || *start != r->startTime || !processRunning(r->pid)) return std::nullopt;
    return r;
}

void removeIfNames(const std::string& path, int pid) {
    auto r = readPidRecord(path);
    if (r && r->pid == pid) ::unlink(path.c_str());
}

} // namespace wildws::supervisor
