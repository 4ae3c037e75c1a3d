#include "serve_probe.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/process.hpp>
#include <wildws/secure.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace wildws::support {

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
    auto o = json::parseObject(read.content);
    if (!o) {
        p.why = pidFile + " is not valid JSON";
        return p;
    }
    p.pid = static_cast<int>(json::getInt(o, "pid").value_or(0));
    p.port = static_cast<int>(json::getInt(o, "port").value_or(0));
    p.version = json::getString(o, "version").value_or("");
    p.startedAt = json::getInt(o, "startedAt").value_or(0);
    auto startTime = json::getInt(o, "startTime");
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
        auto health = json::parseObject(text);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK || !health) {
            p.why = "GET /health on port " + std::to_string(p.port) + " answered " +
                    std::to_string(static_cast<int>(response.getStatus()));
            return p;
        }
        if (json::getString(health, "role").value_or("") != role) {
            p.why = "port " + std::to_string(p.port) + " is not a wildws " + role;
            return p;
        }
    } catch (const std::exception& e) {
        p.why = "GET /health on port " + std::to_string(p.port) + " failed: " + common::describe(e);
        return p;
    }
    p.up = true;
    return p;
}

} // namespace wildws::support
