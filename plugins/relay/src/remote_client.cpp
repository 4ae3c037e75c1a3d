#include "remote_client.hpp"

#include "audit_chain.hpp"
#include "nats_options.hpp"
#include "wire.hpp"

#include <wildws/secure.hpp>

#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <sstream>

namespace wildws::relay {
namespace {

using Clock = std::chrono::steady_clock;

struct AsyncErrors {
    std::mutex m;
    std::string first;
};

void onClientError(natsConnection* nc, natsSubscription*, natsStatus err, void* closure) {
    auto* errors = static_cast<AsyncErrors*>(closure);
    const char* text = nullptr;
    natsConnection_GetLastError(nc, &text);
    std::lock_guard<std::mutex> lock(errors->m);
    if (errors->first.empty())
        errors->first = text && *text ? std::string(text) : std::string(natsStatus_GetText(err));
}

std::string header(natsMsg* msg, const char* name) {
    const char* v = nullptr;
    if (natsMsgHeader_Get(msg, name, &v) == NATS_OK && v) return v;
    return "";
}

std::string data(natsMsg* msg) {
    const char* d = natsMsg_GetData(msg);
    return d ? std::string(d, static_cast<std::size_t>(natsMsg_GetDataLength(msg))) : std::string();
}

namespace json = wildws::common::json;

json::Object parse(const std::string& text) { return json::parseObject(text); }

std::string str(const json::Object& o, const char* key) { return json::getString(o, key).value_or(""); }

/// One line for a refusal, by its code (what it means for the engineer).
std::string refusalLine(const RemoteSettings& s, const std::string& code, const std::string& message) {
    const std::string id = s.install;
    if (code == "operator-required")
        return "wrong operator token: install " + id +
               " does not accept it (the owner's 'wildws operator enable' prints the current one; each enable "
               "replaces it)";
    if (code == "no-consent" || code == "expired") return "no grant: " + message + " (install " + id + ")";
    if (code == "tier-insufficient") return "tier too low: " + message + " (install " + id + ")";
    if (code == "unknown-action") return "unknown action: " + message;
    if (code == "bad-args") return "bad args: " + message;
    return "install " + id + " refused: " + message + (code.empty() ? "" : " (" + code + ")");
}

struct Connection {
    natsConnection* nc = nullptr;
    AsyncErrors errors;
    ~Connection() {
        if (nc) {
            natsConnection_Close(nc);
            natsConnection_Destroy(nc);
        }
    }
    std::string asyncError() {
        std::lock_guard<std::mutex> lock(errors.m);
        return errors.first;
    }
};

/// Connects, or prints one line and returns false.
bool open(const RemoteSettings& s, Connection& c, Invocation& inv) {
    try {
        ConnectionPolicy policy;
        policy.name = "wildws-remote " + s.requester;
        policy.inboxPrefix = s.inboxPrefix;
        auto opts = makeOptions(s.broker, policy);
        natsOptions_SetErrorHandler(opts.get(), onClientError, &c.errors);
        natsStatus st = natsConnection_Connect(&c.nc, opts.get());
        if (st != NATS_OK) {
            c.nc = nullptr;
            const std::string why = natsError(st);
            if (st == NATS_NOT_PERMITTED || why.find("uthorization") != std::string::npos)
                inv.err() << "the broker at " << s.broker.displayUrl() << " refused these credentials: " << why << "\n";
            else
                inv.err() << "cannot reach the broker at " << s.broker.displayUrl() << ": " << why
                          << " - check --url and that the broker runs\n";
            return false;
        }
    } catch (const std::exception& e) {
        inv.err() << e.what() << "\n";
        return false;
    }
    return true;
}

std::string permissionLine(const RemoteSettings& s, const std::string& what) {
    return "permission violation: the broker refused " + what + " for this user - ask the broker's admin for rights "
           "to install " + s.install + " (and to your inbox " + (s.inboxPrefix.empty() ? "_INBOX" : s.inboxPrefix) + ")";
}

void printLine(const std::string& line, bool json, Invocation& inv, int& endCode, bool& sawEnd) {
    auto o = parse(line);
    const std::string type = str(o, "type");
    if (type == "end") {
        sawEnd = true;
        auto code = json::getInt(o, "code").value_or(1);
        endCode = code >= 0 && code <= 255 ? static_cast<int>(code) : 1;
    }
    if (json) {
        inv.out() << line << "\n" << std::flush;
        return;
    }
    auto text = str(o, "text");
    if (type == "stdout" || type == "text") {
        inv.out() << text << (text.empty() || text.back() != '\n' ? "\n" : "") << std::flush;
    } else if (type == "stderr") {
        inv.err() << text << (text.empty() || text.back() != '\n' ? "\n" : "") << std::flush;
    } else if (type == "error" || type == "truncated") {
        inv.err() << type << ": " << str(o, "message") << "\n" << std::flush;
    } else if (type == "end") {
        if (endCode != 0)
            inv.err() << "ended: " << str(o, "reason") << " (code " << endCode << ")\n" << std::flush;
    } else if (type == "start" || type == "usage") {
        // bookkeeping: shown with --json only
    } else {
        inv.out() << line << "\n" << std::flush;
    }
}

} // namespace

int remoteRequest(const RemoteSettings& s, const std::string& action, const std::string& body, bool json,
                  Invocation& inv) {
    std::string token;
    try {
        token = readSecretFile(s.operatorTokenFile, "operator token file");
    } catch (const std::exception& e) {
        inv.err() << e.what() << "\n";
        return 1;
    }
    Connection c;
    if (!open(s, c, inv)) return 1;
    const std::string base = "wildws." + s.install + ".";
    const std::string subject = action == "actions" ? base + "actions" : base + "action." + action;
    const std::string streamId = randomToken(16);
    const std::string inbox = (s.inboxPrefix.empty() ? std::string("_INBOX") : s.inboxPrefix) + "." + randomToken(12);

    natsSubscription* sub = nullptr;
    if (natsConnection_SubscribeSync(&sub, c.nc, inbox.c_str()) != NATS_OK) {
        inv.err() << "cannot subscribe to the reply inbox " << inbox << ": " << natsError(NATS_ERR) << "\n";
        return 1;
    }
    struct SubGuard {
        natsSubscription* s;
        ~SubGuard() { natsSubscription_Destroy(s); }
    } guard{sub};
    natsSubscription_SetPendingLimits(sub, -1, -1);
    natsConnection_FlushTimeout(c.nc, 5000);
    if (auto e = c.asyncError(); !e.empty()) {
        inv.err() << permissionLine(s, e) << "\n";
        return 1;
    }

    natsMsg* req = nullptr;
    natsMsg_Create(&req, subject.c_str(), inbox.c_str(), body.data(), static_cast<int>(body.size()));
    natsMsgHeader_Set(req, wire::kAuthorization, ("Bearer " + token).c_str());
    natsMsgHeader_Set(req, wire::kStream, streamId.c_str());
    if (!s.requester.empty()) natsMsgHeader_Set(req, wire::kRequester, s.requester.c_str());
    natsStatus st = natsConnection_PublishMsg(c.nc, req);
    natsMsg_Destroy(req);
    if (st != NATS_OK) {
        inv.err() << "cannot send the request: " << natsError(st) << "\n";
        return 1;
    }
    natsConnection_Flush(c.nc);

    const std::string streamSubject = base + "stream." + streamId;
    auto beat = [&](const char* what) {
        natsConnection_Publish(c.nc, streamSubject.c_str(), what, static_cast<int>(std::strlen(what)));
    };
    bool accepted = false;
    auto heartbeatEvery = std::chrono::milliseconds(5000);
    auto lastFromInstall = Clock::now();
    auto lastBeat = Clock::now();
    std::string parts;
    int endCode = 1;
    bool sawEnd = false, cancelled = false;
    Clock::time_point cancelDeadline;
    for (;;) {
        if (inv.interrupted() && !cancelled) {
            beat(wire::kCancelBody.data());
            natsConnection_FlushTimeout(c.nc, 1000);
            cancelled = true;
            cancelDeadline = Clock::now() + std::chrono::seconds(3); // time for the end to arrive
        }
        natsMsg* m = nullptr;
        st = natsSubscription_NextMsg(&m, sub, 200);
        if (auto e = c.asyncError(); !e.empty()) {
            if (m) natsMsg_Destroy(m);
            inv.err() << permissionLine(s, e) << "\n";
            return 1;
        }
        const auto now = Clock::now();
        if (accepted && now - lastBeat >= heartbeatEvery) {
            beat("heartbeat");
            lastBeat = now;
        }
        if (st == NATS_NO_RESPONDERS || (m && natsMsg_IsNoResponders(m))) {
            if (m) natsMsg_Destroy(m);
            inv.err() << "no responders on " << subject << ": install " << s.install
                      << " is offline or its relay is off (it needs operator access on and [plugin.relay] url set)\n";
            return 1;
        }
        if (st == NATS_TIMEOUT || !m) {
            if (st != NATS_TIMEOUT && st != NATS_OK) {
                inv.err() << "lost the broker connection: " << natsError(st) << "\n";
                return 1;
            }
            const auto silent = now - lastFromInstall;
            if (cancelled) {
                if (now > cancelDeadline) return 130;
                continue;
            }
            if (!accepted && silent > std::chrono::seconds(s.answerTimeoutSeconds)) {
                // Through a cross-account import the broker reports no
                // "no responders": silence is all we get.
                inv.err() << "no answer from install " << s.install << " within " << s.answerTimeoutSeconds
                          << " s: it is offline or its relay is off\n";
                return 1;
            }
            if (accepted && silent > std::max<std::chrono::milliseconds>(heartbeatEvery * 3, std::chrono::seconds(10))) {
                inv.err() << "install " << s.install << " stopped answering mid-stream (nothing for "
                          << std::chrono::duration_cast<std::chrono::seconds>(silent).count()
                          << " s): its connection to the broker was lost\n";
                return 1;
            }
            continue;
        }
        struct MsgGuard {
            natsMsg* m;
            ~MsgGuard() { natsMsg_Destroy(m); }
        } mg{m};
        lastFromInstall = now;
        const std::string kind = header(m, wire::kKind);
        if (kind == wire::kAccepted) {
            accepted = true;
            try {
                auto ms = std::stol(header(m, wire::kHeartbeatMs));
                if (ms >= 500) heartbeatEvery = std::chrono::milliseconds(ms);
            } catch (...) {
            }
            beat("heartbeat");
            lastBeat = now;
        } else if (kind == wire::kJsonPart || kind == "line-part") {
            parts += data(m);
        } else if (kind == wire::kJson) {
            std::string text = parts + data(m);
            parts.clear();
            int status = 0;
            try {
                status = std::stoi(header(m, wire::kStatus));
            } catch (...) {
            }
            if (status >= 200 && status < 300) {
                inv.out() << text << "\n" << std::flush;
                // A quick answer: wait for nothing more.
                return 0;
            }
            auto o = parse(text);
            inv.err() << refusalLine(s, str(o, "error"), str(o, "message")) << "\n";
            return 1;
        } else if (kind == wire::kLine) {
            std::string text = parts + data(m);
            parts.clear();
            printLine(text, json, inv, endCode, sawEnd);
        } else if (kind == wire::kDone) {
            if (cancelled) return 130;
            if (!sawEnd) {
                inv.err() << "the stream from install " << s.install << " ended without an end line\n";
                return 1;
            }
            return endCode;
        }
        // heartbeat: lastFromInstall is updated, nothing to print
    }
}

int remoteAudit(const RemoteSettings& s, bool json, Invocation& inv) {
    Connection c;
    if (!open(s, c, inv)) return 1;
    jsCtx* js = nullptr;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 5000;
    if (natsConnection_JetStream(&js, c.nc, &jo) != NATS_OK) {
        inv.err() << "cannot use JetStream on the broker: " << natsError(NATS_ERR) << "\n";
        return 1;
    }
    struct JsGuard {
        jsCtx* js;
        ~JsGuard() { jsCtx_Destroy(js); }
    } jg{js};
    const std::string subject = "wildws.audit." + s.install;
    std::vector<std::string> lines;
    std::uint64_t seq = 1;
    for (;;) {
        natsMsg* m = nullptr;
        jsDirectGetMsgOptions o;
        jsDirectGetMsgOptions_Init(&o);
        o.Sequence = seq;
        o.NextBySubject = subject.c_str();
        natsStatus st = js_DirectGetMsg(&m, js, wire::kAuditStream, nullptr, &o);
        if (st == NATS_NOT_FOUND) break;
        if (auto e = c.asyncError(); !e.empty()) {
            if (m) natsMsg_Destroy(m);
            inv.err() << permissionLine(s, e) << "\n";
            return 1;
        }
        if (st != NATS_OK) {
            inv.err() << "cannot read the fleet audit stream " << wire::kAuditStream << ": " << natsError(st)
                      << (lines.empty() ? " (no daemon has created it yet, or this user may not read it)" : "") << "\n";
            return 1;
        }
        lines.push_back(data(m));
        seq = natsMsg_GetSequence(m) + 1;
        natsMsg_Destroy(m);
    }
    auto check = checkChain(lines);
    if (json) {
        for (auto& l : lines) inv.out() << l << "\n";
        auto o = json::object();
        o->set("type", "chain");
        o->set("ok", check.ok);
        o->set("entries", static_cast<std::int64_t>(check.entries));
        o->set("duplicates", static_cast<std::int64_t>(check.duplicates));
        o->set("fromStart", check.startsAtGenesis);
        o->set("problem", check.problem);
        inv.out() << json::toText(o) << "\n";
    } else {
        for (auto& l : lines) {
            auto f = auditLineFields(l);
            if (!f) continue;
            inv.out() << common::localTime(f->ts) << "  " << (f->ok ? "ok  " : "DENY") << "  " << f->action << "  " << f->actor << "  "
                      << f->detail << "\n";
        }
    }
    if (lines.empty()) {
        inv.err() << "no fleet audit entries for install " << s.install << " (its relay has not connected yet)\n";
        return 1;
    }
    if (!check.ok) {
        inv.err() << "chain BROKEN: " << check.problem << "\n";
        return 1;
    }
    if (!json)
        inv.out() << "chain intact: " << check.entries << " entries"
                  << (check.startsAtGenesis ? " from the feed's first" : " (the copy starts mid-feed)")
                  << (check.duplicates ? ", " + std::to_string(check.duplicates) + " replayed copies skipped" : "")
                  << "\n";
    return 0;
}

} // namespace wildws::relay
