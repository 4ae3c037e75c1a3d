#include "app/pid_file.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace wildws::host {

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
