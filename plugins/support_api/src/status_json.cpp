#include "status_json.hpp"

namespace wildws::support {

json::Object auditEntryJson(const AuditEntry& e) {
    auto o = json::object();
    o->set("ts", static_cast<Poco::Int64>(e.ts));
    o->set("action", e.action);
    o->set("tier", e.tier);
    o->set("ok", e.ok);
    o->set("actor", e.actor);
    o->set("detail", e.detail);
    return o;
}

Poco::Dynamic::Var operateJson(const std::optional<OperateSnapshot>& s) {
    if (!s) return Poco::Dynamic::Var();
    auto o = json::object();
    o->set("active", s->active);
    o->set("taskId", s->taskId);
    o->set("startedAt", static_cast<Poco::Int64>(s->startedAt));
    json::setTimeOrNull(o, "endedAt", s->endedAt);
    auto lines = json::array();
    for (auto& l : s->lines) {
        auto line = json::object();
        line->set("ts", static_cast<Poco::Int64>(l.ts));
        line->set("text", l.text);
        lines->add(line);
    }
    o->set("lines", lines);
    return o;
}

json::Object statusJsonFrom(bool consentLoaded, const GrantStatus& s, const std::optional<AuditEntry>& last,
                          const std::string& allows, const OperateState& operate, std::int64_t nowMs) {
    auto o = json::object();
    o->set("enabled", s.enabled);
    o->set("tier", s.enabled ? s.tier : 0);
    json::setTimeOrNull(o, "expiresAt", s.enabled ? s.expiresAt : 0);
    o->set("remainingMs", static_cast<Poco::Int64>(s.enabled ? s.remainingMs : 0));
    o->set("active", last.has_value() && nowMs - last->ts < kSupportActiveWindowMs);
    o->set("operate", operateJson(operate.snapshot(nowMs)));
    if (last) {
        auto a = json::object();
        a->set("action", last->action);
        a->set("ts", static_cast<Poco::Int64>(last->ts));
        a->set("ok", last->ok);
        o->set("lastAction", a);
    } else {
        o->set("lastAction", Poco::Dynamic::Var());
    }
    o->set("allows", s.enabled ? allows : std::string());
    if (!consentLoaded) o->set("offReason", "the consent plugin is not loaded");
    else if (!s.enabled && !s.offReason.empty()) o->set("offReason", s.offReason);
    return o;
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
    return statusJsonFrom(consent != nullptr, s, last, allows, operate, nowMs);
}

} // namespace wildws::support
