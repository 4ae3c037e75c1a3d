#include "restart_request.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>

namespace wildws::supervisor {

std::string restartRequestJson(const RestartRequest& r) {
    auto o = json::object();
    o->set("requestedAt", r.requestedAt);
    o->set("actor", r.actor);
    o->set("reason", r.reason);
    o->set("nonce", r.nonce);
    return json::toText(o) + "\n";
}

std::optional<RestartRequest> parseRestartRequest(const std::string& text, std::string& error) {
    auto o = json::parseObject(text);
    if (!o) {
        error = "restart-request.json is not a JSON object";
        return std::nullopt;
    }
    RestartRequest r;
    auto nonce = json::getString(o, "nonce");
    if (!nonce || nonce->empty()) {
        error = "restart-request.json has no nonce";
        return std::nullopt;
    }
    r.nonce = *nonce;
    r.requestedAt = json::getInt(o, "requestedAt").value_or(0);
    r.actor = json::getString(o, "actor").value_or("unknown");
    r.reason = json::getString(o, "reason").value_or("");
    return r;
}

std::string restartResultJson(const RestartResult& r) {
    auto o = json::object();
    o->set("nonce", r.nonce);
    o->set("ok", r.ok);
    o->set("detail", r.detail);
    o->set("oldPid", r.oldPid);
    o->set("pid", r.pid);
    return json::toText(o) + "\n";
}

std::optional<RestartResult> parseRestartResult(const std::string& text) {
    auto o = json::parseObject(text);
    if (!o) return std::nullopt;
    auto nonce = json::getString(o, "nonce");
    if (!nonce) return std::nullopt;
    RestartResult r;
    r.nonce = *nonce;
    r.ok = o->has("ok") && o->get("ok").isBoolean() && o->get("ok").convert<bool>();
    r.detail = json::getString(o, "detail").value_or("");
    r.oldPid = static_cast<int>(json::getInt(o, "oldPid").value_or(0));
    r.pid = static_cast<int>(json::getInt(o, "pid").value_or(0));
    return r;
}

bool RestartRateLimiter::allows(Mono::time_point now, ms& wait) const {
    wait = ms(0);
    if (!last_) return true;
    auto since = std::chrono::duration_cast<ms>(now - *last_);
    if (since >= minInterval_) return true;
    wait = minInterval_ - since;
    return false;
}

} // namespace wildws::supervisor
