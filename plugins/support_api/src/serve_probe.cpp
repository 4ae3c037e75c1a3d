#include "serve_probe.hpp"

#include "json_util.hpp"
#include "text_util.hpp"

#include <wildws/secure.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace wildws::support {

std::optional<std::uint64_t> processStartTime(int pid) {
    if (pid <= 0) return std::nullopt;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    // getline, not istreambuf_iterator: a process that exits between open and
    // read makes read() fail with ESRCH, which the iterator turns into a throw.
    std::string stat;
    std::getline(in, stat);
    // The command name (field 2) may hold spaces and ')': fields restart after the last ')'.
    auto close = stat.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(stat.substr(close + 1));
    std::string field;
    // Field 3 is the first after ')'; field 22 is the 20th.
    for (int i = 3; i <= 22; ++i)
        if (!(rest >> field)) return std::nullopt;
    try {
        return std::stoull(field);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

ProcessProbe liveFromPidFile(const std::string& home, const std::string& pidFile) {
    ProcessProbe p;
    // readStateFile: a FIFO in its place is refused at once, never waited on.
    auto read = wildws::readStateFile(home + "/" + pidFile);
    if (read.problem == wildws::FileProblem::Missing) {
        p.why = "no " + pidFile + " (not running)";
        return p;
    }
    if (!read.ok()) {
        p.why = read.error;
        return p;
    }
    auto o = parseObject(read.content);
    if (!o) {
        p.why = pidFile + " is not valid JSON";
        return p;
    }
    p.pid = static_cast<int>(integerMember(o, "pid").value_or(0));
    p.port = static_cast<int>(integerMember(o, "port").value_or(0));
    p.version = stringMember(o, "version").value_or("");
    p.startedAt = integerMember(o, "startedAt").value_or(0);
    auto startTime = integerMember(o, "startTime");
    auto now = processStartTime(p.pid);
    if (!now) {
        p.why = "pid " + std::to_string(p.pid) + " from " + pidFile + " is not running (stale file)";
        return p;
    }
    if (!startTime || static_cast<std::uint64_t>(*startTime) != *now) {
        p.why = "pid " + std::to_string(p.pid) + " from " + pidFile + " is another process now (reused pid)";
        return p;
    }
    p.up = true;
    return p;
}

ProcessProbe probeProcess(const std::string& home, const std::string& pidFile, const std::string& role,
                          int healthTimeoutMs) {
    ProcessProbe p = liveFromPidFile(home, pidFile);
    if (!p.up) return p;
    p.up = false;
    if (p.port <= 0 || p.port > 65535) {
        p.why = pidFile + " names no port";
        return p;
    }
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(p.port));
        session.setTimeout(Poco::Timespan(0, healthTimeoutMs * 1000));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/health", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost("127.0.0.1", static_cast<Poco::UInt16>(p.port));
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session.receiveResponse(response);
        std::string text;
        Poco::StreamCopier::copyToString(body, text);
        auto health = parseObject(text);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK || !health) {
            p.why = "GET /health on port " + std::to_string(p.port) + " answered " +
                    std::to_string(static_cast<int>(response.getStatus()));
            return p;
        }
        if (stringMember(health, "role").value_or("") != role) {
            p.why = "port " + std::to_string(p.port) + " is not a wildws " + role;
            return p;
        }
    } catch (const std::exception& e) {
        p.why = "GET /health on port " + std::to_string(p.port) + " failed: " + describe(e);
        return p;
    }
    p.up = true;
    return p;
}

} // namespace wildws::support
