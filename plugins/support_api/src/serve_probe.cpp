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

LoopbackReply loopbackCall(int port, const std::string& method, const std::string& path, const std::string& bearer,
                           const std::string& body, int timeoutMs) {
    LoopbackReply r;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
        session.setTimeout(Poco::Timespan(0, timeoutMs * 1000));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
        if (!bearer.empty()) request.set("Authorization", "Bearer " + bearer);
        if (method == Poco::Net::HTTPRequest::HTTP_POST) {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            session.sendRequest(request) << body;
        } else {
            session.sendRequest(request);
        }
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        Poco::StreamCopier::copyToString(in, r.body);
        r.status = static_cast<int>(response.getStatus());
    } catch (const std::exception& e) {
        r.failure = common::describe(e);
    }
    return r;
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
    auto r = loopbackCall(p.port, Poco::Net::HTTPRequest::HTTP_GET, "/health", "", "", healthTimeoutMs);
    if (!r.failure.empty()) {
        p.why = "GET /health on port " + std::to_string(p.port) + " failed: " + r.failure;
        return p;
    }
    auto health = json::parseObject(r.body);
    if (r.status != Poco::Net::HTTPResponse::HTTP_OK || !health) {
        p.why = "GET /health on port " + std::to_string(p.port) + " answered " + std::to_string(r.status);
        return p;
    }
    if (json::getString(health, "role").value_or("") != role) {
        p.why = "port " + std::to_string(p.port) + " is not a wildws " + role;
        return p;
    }
    p.up = true;
    return p;
}

} // namespace wildws::support
