#include "status_json.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>
#include "policy.hpp"

namespace wildws::consent {
namespace {

void setTime(Poco::JSON::Object& o, const std::string& key, bool live, std::int64_t ms) {
    json::setTimeOrNull(o, key, live ? ms : 0);
}

} // namespace

Poco::JSON::Object::Ptr grantStatusJson(ConsentService& service, const GrantStatus& s) {
    auto o = json::object();
    o->set("enabled", s.enabled);
    o->set("tier", s.enabled ? s.tier : 0);
    setTime(*o, "grantedAt", s.enabled, s.grantedAt);
    setTime(*o, "expiresAt", s.enabled, s.expiresAt);
    o->set("remainingMs", static_cast<Poco::Int64>(s.enabled ? s.remainingMs : 0));
    o->set("allows", s.enabled ? tierDescription(s.tier) : std::string());
    o->set("reason", s.enabled ? common::sanitizeUtf8(s.reason) : std::string());
    if (s.offReason.empty()) o->set("offReason", Poco::Dynamic::Var());
    else o->set("offReason", common::sanitizeUtf8(s.offReason));
    o->set("operatorEnabled", service.operatorEnabled());
    o->set("maxMinutes", static_cast<Poco::Int64>(service.maxMinutes()));
    o->set("file", s.file);
    return o;
}

} // namespace wildws::consent
