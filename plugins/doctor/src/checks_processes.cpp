// serve and daemon (pid files + /health), the supervisor and safe mode
// (supervisor-status.json, safe-mode.json), the relay (relay-status.json).
#include "checks.hpp"
#include "files.hpp"

#include <wildws/process.hpp>
#include <wildws/services/host.hpp>
#include <wildws/services/relay.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <sstream>

namespace wildws::doctor {
namespace {

bool alive(const Poco::JSON::Object::Ptr& o) {
    int pid = static_cast<int>(integer(o, "pid", 0));
    std::int64_t start = integer(o, "startTime", -1);
    if (pid <= 0 || start < 0) return false;
    auto now = processStartTime(pid);
    auto state = processState(pid);
    return now && *now == static_cast<std::uint64_t>(start) && state && *state != 'Z';
}

/// GET /health; the role it names, or why it did not answer.
bool health(const std::string& host, int port, std::chrono::milliseconds timeout, std::string& role, std::string& why) {
    try {
        Poco::Net::HTTPClientSession s(host, static_cast<Poco::UInt16>(port));
        s.setTimeout(Poco::Timespan(timeout.count() * 1000));
        Poco::Net::HTTPRequest rq(Poco::Net::HTTPRequest::HTTP_GET, "/health", Poco::Net::HTTPMessage::HTTP_1_1);
        rq.setHost(host + ":" + std::to_string(port));
        s.sendRequest(rq);
        Poco::Net::HTTPResponse rs;
        std::ostringstream body;
        body << s.receiveResponse(rs).rdbuf();
        if (rs.getStatus() != 200) {
            why = "/health answered " + std::to_string(rs.getStatus());
            return false;
        }
        auto o = Poco::JSON::Parser().parse(body.str()).extract<Poco::JSON::Object::Ptr>();
        role = str(o, "role");
        return str(o, "status") == "ok";
    } catch (const std::exception& e) {
        why = "/health on port " + std::to_string(port) + " did not answer (" + e.what() + ")";
        return false;
    }
}

void checkServer(const DoctorContext& c, Report& r, const std::string& id, const std::string& file,
                 const std::string& role, int configuredPort) {
    std::string path = c.host.home + "/" + file;
    auto pf = readJsonFile(path);
    std::string start = id == "serve" ? "`wildws serve`" : "`wildws daemon`";
    if (pf.missing) return r.skip(id, id, "not running (start it with " + start + " or `wildws always-on start`)");
    if (!pf.error.empty()) return r.fail(id, id, pf.error, "remove " + path + " (wildws writes it again when it starts)");
    int pid = static_cast<int>(integer(pf.json, "pid", 0));
    int port = static_cast<int>(integer(pf.json, "port", 0));
    if (!alive(pf.json))
        return r.fail(id, id, file + " names pid " + std::to_string(pid) + ", which is not running (a stale pid file)",
                      "remove " + path + ", or run `wildws always-on stop` to clean up");
    if (str(pf.json, "role") != role)
        return r.fail(id, id, file + " was written by a '" + str(pf.json, "role") + "', not a " + role,
                      "stop pid " + std::to_string(pid) + " and remove " + path);
    std::string bind = c.host.bindAddress.empty() || c.host.bindAddress == "0.0.0.0" || c.host.bindAddress == "::"
                           ? std::string("127.0.0.1")
                           : c.host.bindAddress;
    std::string seenRole, why;
    if (!health(bind, port, c.limits.healthTimeout, seenRole, why))
        return r.fail(id, id, "pid " + std::to_string(pid) + " holds " + file + " but " + why,
                      "restart it (`wildws always-on stop` then `start`, or end pid " + std::to_string(pid) + ")");
    if (seenRole != role)
        return r.fail(id, id, "port " + std::to_string(port) + " is answered by a " + seenRole + ", not this " + id,
                      "stop whatever listens there and remove " + path);
    std::string note = port != configuredPort ? " (the configured port is " + std::to_string(configuredPort) + ")" : "";
    r.ok(id, id, "running, pid " + std::to_string(pid) + ", port " + std::to_string(port) + note);
}

} // namespace

void checkServers(const DoctorContext& c, Report& r) {
    checkServer(c, r, "serve", "server.pid", "workspace", c.host.workspacePort);
    checkServer(c, r, "daemon", "daemon.pid", "daemon", c.host.daemonPort);
}

void checkSupervisor(const DoctorContext& c, Report& r) {
    std::string path = c.host.home + "/supervisor-status.json";
    auto st = readJsonFile(path);
    if (st.missing) {
        r.skip("supervisor", "always-on", "not running (`wildws always-on start` keeps serve and the daemon up)");
    } else if (!st.error.empty()) {
        r.fail("supervisor", "always-on", st.error, "run `wildws always-on stop`, then `wildws always-on start`");
    } else if (!alive(st.json)) {
        r.fail("supervisor", "always-on",
               "supervisor-status.json names pid " + std::to_string(integer(st.json, "pid", 0)) + ", which is not running",
               "run `wildws always-on stop` to clean up, then `wildws always-on start`");
    } else {
        std::string bad, summary;
        if (st.json->has("children")) {
            auto children = st.json->getObject("children");
            for (const std::string name : {"server", "daemon"}) {
                auto ch = children ? children->getObject(name) : nullptr;
                if (!ch) continue;
                std::string state = str(ch, "state");
                summary += (summary.empty() ? "" : ", ") + name + " " + state;
                if (state == "fatal" || state == "backoff") {
                    std::string reason = str(ch, "reason");
                    bad += (bad.empty() ? "" : "; ") + name + " " + state + (reason.empty() ? "" : ": " + reason);
                }
            }
        }
        std::string pid = std::to_string(integer(st.json, "pid", 0));
        if (!bad.empty())
            r.fail("supervisor", "always-on", "supervisor pid " + pid + ": " + bad,
                   "see logs/supervisor.log and logs/server.out.log; `wildws always-on start` tries again");
        else
            r.ok("supervisor", "always-on", "supervisor pid " + pid + (summary.empty() ? "" : ": " + summary));
    }

    auto safe = readJsonFile(c.host.home + "/safe-mode.json");
    if (safe.missing) return r.ok("safe-mode", "safe mode", "off");
    if (!safe.error.empty()) return r.fail("safe-mode", "safe mode", safe.error, "`wildws always-on start --clear-safe-mode`");
    std::string list;
    if (auto disabled = safe.json->getArray("disabled")) {
        for (std::size_t i = 0; i < disabled->size(); ++i) {
            auto d = disabled->getObject(static_cast<unsigned>(i));
            if (!d) continue;
            list += (list.empty() ? "" : ", ") + str(d, "plugin") + " (" + str(d, "signal") +
                    (str(d, "call").empty() ? "" : " in " + str(d, "call")) + ")";
        }
    }
    if (boolean(safe.json, "onlyFirstParty"))
        list += (list.empty() ? "" : "; ") + std::string("every plugin not shipped with wildws is closed");
    r.fail("safe-mode", "safe mode", "ON: " + (list.empty() ? std::string("see safe-mode.json") : list),
           "update or remove the plugin that crashed, then `wildws always-on start --clear-safe-mode`");
}

void checkRelay(const DoctorContext& c, Report& r) {
    bool loaded = false, present = false;
    if (auto host = c.services ? c.services->find<HostApi>() : nullptr)
        for (auto& p : host->plugins())
            if (p.name == "relay") {
                present = true;
                loaded = p.state == "loaded";
            }
    auto st = readJsonFile(c.host.home + "/relay-status.json", true);
    if (!present && st.missing) return r.skip("relay", "relay", "not installed");
    if (present && !loaded && st.missing) return r.skip("relay", "relay", "the relay plugin is not loaded");
    if (st.missing) {
        // No daemon has written a status: the relay's own service still knows
        // whether it is configured at all.
        auto relay = c.services ? c.services->find<Relay>() : nullptr;
        bool configured = true;
        try {
            configured = !relay || relay->state().configured;
        } catch (const std::exception&) {
        }
        if (!configured) return r.skip("relay", "relay", "off (not configured: [plugin.relay] url)");
        return r.skip("relay", "relay", "no status yet (the daemon writes relay-status.json when it runs)");
    }
    if (!st.error.empty()) return r.fail("relay", "relay", st.error, "remove it; the daemon writes it again");
    if (!boolean(st.json, "configured")) return r.skip("relay", "relay", "off (not configured: [plugin.relay] url)");
    std::string url = str(st.json, "url");
    if (boolean(st.json, "connected")) return r.ok("relay", "relay", "connected" + (url.empty() ? "" : " to " + url));
    std::string err = str(st.json, "lastError");
    r.fail("relay", "relay", "configured but not connected" + (err.empty() ? "" : ": " + err),
           "is the daemon running with operator access on? check [plugin.relay] url and credentials (`wildws relay status`)");
}

} // namespace wildws::doctor
