#include <wildws/common/audit_json.hpp>

namespace wildws::common {

json::Object auditEntryJson(const AuditEntry& e) {
    auto o = json::object();
    json::setTimeOrNull(o, "ts", e.ts);
    o->set("action", e.action);
    o->set("tier", e.tier);
    o->set("ok", e.ok);
    o->set("actor", e.actor);
    o->set("detail", e.detail);
    o->set("unverified", e.legacy);
    return o;
}

} // namespace wildws::common
