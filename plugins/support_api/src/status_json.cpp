#include "status_json.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/relay.hpp>

namespace wildws::support {

Poco::Dynamic::Var operateJson(const std::optional<OperateSnapshot>& s) {
    if (!s) return Poco::Dynamic::Var();
    auto o = json::object();
    o->set("active", s->active);
    o->set("taskId", s->taskId);
    json::setTimeOrNull(o, "startedAt", s->startedAt);
    json::setTimeOrNull(o, "endedAt", s->endedAt);
    auto lines = json::array();
    for (auto& l : s->lines) {
        auto line = json::object();
        json::setTimeOrNull(line, "ts", l.ts);
        line->set("text", l.text);
        lines->add(line);
    }
    o->set("lines", lines);
    auto pending = json::array();
    for (auto& p : s->pending) {
        auto e = json::object();
        e->set("requestId", p.requestId);
        e->set("kind", p.kind);
        e->set("tool", p.tool);
        e->set("title", p.title);
        auto input = json::parseObject(p.inputJson);
        e->set("input", input ? Poco::Dynamic::Var(input) : Poco::Dynamic::Var());
        e->set("taskId", s->taskId);
        json::setTimeOrNull(e, "askedAt", p.askedAt);
        json::setTimeOrNull(e, "deadline", p.deadline);
        pending->add(e);
    }
    o->set("pending", pending);
    auto resolved = json::array();
    for (auto& r : s->resolved) {
        auto e = json::object();
        e->set("requestId", r.requestId);
        e->set("decision", r.decision);
        e->set("scope", r.scope);
        e->set("by", r.by);
        json::setTimeOrNull(e, "at", r.at);
        resolved->add(e);
    }
    o->set("resolved", resolved);
    return o;
}

json::Object statusJsonFrom(bool consentLoaded, const GrantStatus& s, const std::optional<AuditEntry>& last,
                          const std::string& allows, const OperateState& operate, std::int64_t nowMs,
                          bool operatorEnabled) {
    auto o = json::object();
    o->set("enabled", s.enabled);
    o->set("tier", s.enabled ? s.tier : 0);
    json::setTimeOrNull(o, "grantedAt", s.enabled ? s.grantedAt : 0);
    json::setTimeOrNull(o, "expiresAt", s.enabled ? s.expiresAt : 0);
    o->set("remainingMs", static_cast<Poco::Int64>(s.enabled ? s.remainingMs : 0));
    o->set("active", last.has_value() && nowMs - last->ts < kSupportActiveWindowMs);
    o->set("operate", operateJson(operate.snapshot(nowMs)));
    if (last) {
        auto a = json::object();
        a->set("action", last->action);
        json::setTimeOrNull(a, "ts", last->ts);
        a->set("ok", last->ok);
        o->set("lastAction", a);
    } else {
        o->set("lastAction", Poco::Dynamic::Var());
    }
    o->set("allows", s.enabled ? allows : std::string());
    o->set("reason", s.enabled ? common::sanitizeUtf8(s.reason) : std::string());
    if (!consentLoaded) o->set("offReason", "the consent plugin is not loaded");
    else if (!s.enabled && !s.offReason.empty()) o->set("offReason", common::sanitizeUtf8(s.offReason));
    else o->set("offReason", Poco::Dynamic::Var());
    // Off: a support engineer cannot connect yet, even with a grant.
    o->set("operatorEnabled", operatorEnabled);
    return o;
}

void setRelay(json::Object status, Services& services) {
    auto relay = services.find<Relay>();
    RelayState r;
    if (relay) {
        try {
            r = relay->state();
        } catch (const std::exception&) {
        }
    }
    if (!relay || !r.configured) {
        status->set("relay", Poco::Dynamic::Var());
        return;
    }
    auto o = json::object();
    o->set("connected", r.connected);
    o->set("url", r.url);
    o->set("lastAction", r.lastAction);
    json::setTimeOrNull(o, "lastRequestAt", r.lastRequestAt);
    status->set("relay", o);
}

json::Object statusJson(Consent* consent, const OperateState& operate, std::int64_t nowMs) {
    GrantStatus s;
    std::optional<AuditEntry> last;
    std::string allows;
    if (consent) {
        s = consent->status();
        auto newest = consent->readAudit(1);
        if (!newest.empty()) last = newest.front();
        if (s.enabled) allows = consent->tierDescription(s.tier);
    }
    return statusJsonFrom(consent != nullptr, s, last, allows, operate, nowMs, consent && consent->operatorEnabled());
}

} // namespace wildws::support
