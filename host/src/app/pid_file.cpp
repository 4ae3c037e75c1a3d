#include "app/pid_file.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace wildws::host {

std::optional<std::uint64_t> processStartTime(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    // The command name (field 2) may hold spaces and ')': skip past the last ')'.
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22; ++i) {
        if (!(rest >> field)) return std::nullopt;
        if (i == 22) return std::stoull(field);
    }
    return std::nullopt;
}

void writePidFile(const std::string& path, const PidRecord& r) {
    Poco::JSON::Object o;
    o.set("pid", r.pid);
    o.set("startTime", r.startTime);
    o.set("startedAt", r.startedAt);
    o.set("port", r.port);
    o.set("version", r.version);
    o.set("role", r.role);
    std::ostringstream out;
    o.stringify(out);
    writeFileAtomic(path, out.str() + "\n");
}

std::optional<PidRecord> readPidFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    try {
        auto o = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
        PidRecord r;
        r.pid = o->getValue<int>("pid");
        r.startTime = o->getValue<std::uint64_t>("startTime");
        r.startedAt = o->getValue<std::int64_t>("startedAt");
        r.port = o->getValue<int>("port");
        r.version = o->optValue<std::string>("version", "");
        r.role = o->optValue<std::string>("role", "");
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<PidRecord> liveOwner(const std::string& path) {
    auto r = readPidFile(path);
    if (!r || r->pid <= 0) return std::nullopt;
    auto start = processStartTime(r->pid);
    if (!start || *start != r->startTime) return std::nullopt;
    return r;
}

void removePidFileIfOurs(const std::string& path) {
    auto r = readPidFile(path);
    if (r && r->pid == ::getpid()) ::unlink(path.c_str());
}

} // namespace wildws::host
