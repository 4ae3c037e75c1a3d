#include "restart_request.hpp"

#include "json_util.hpp"

namespace wildws::supervisor {

std::string restartRequestJson(const RestartRequest& r) {
    auto o = newObject();
    o->set("requestedAt", r.requestedAt);
    o->set("actor", r.actor);
    o->set("reason", r.reason);
    o->set("nonce", r.nonce);
    return toJson(o) + "\n";
}

std::optional<RestartRequest> parseRestartRequest(const std::string& text, std::string& error) {
    auto o = parseObject(text);
    if (!o) {
        error = "restart-request.json is not a JSON object";
        return std::nullopt;
    }
    RestartRequest r;
    auto nonce = stringAt(o, "nonce");
    if (!nonce || nonce->empty()) {
        error = "restart-request.json has no nonce";
        return std::nullopt;
    }
    r.nonce = *nonce;
    r.requestedAt = intAt(o, "requestedAt").value_or(0);
    r.actor = stringAt(o, "actor").value_or("unknown");
    r.reason = stringAt(o, "reason").value_or("");
    return r;
}

std::string restartResultJson(const RestartResult& r) {
    auto o = newObject();
    o->set("nonce", r.nonce);
    o->set("ok", r.ok);
    o->set("detail", r.detail);
    o->set("oldPid", r.oldPid);
    o->set("pid", r.pid);
    return toJson(o) + "\n";
}

std::optional<RestartResult> parseRestartResult(const std::string& text) {
    auto o = parseObject(text);
    if (!o) return std::nullopt;
    auto nonce = stringAt(o, "nonce");
    if (!nonce) return std::nullopt;
    RestartResult r;
    r.nonce = *nonce;
    r.ok = o->has("ok") && o->get("ok").isBoolean() && o->get("ok").convert<bool>();
    r.detail = stringAt(o, "detail").value_or("");
    r.oldPid = static_cast<int>(intAt(o, "oldPid").value_or(0));
    r.pid = static_cast<int>(intAt(o, "pid").value_or(0));
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
