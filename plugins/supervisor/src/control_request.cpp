#include "control_request.hpp"

#include "json_util.hpp"

namespace wildws::supervisor {

std::string controlRequestJson(const ControlRequest& r) {
    auto o = newObject();
    o->set("nonce", r.nonce);
    o->set("retryFatal", r.retryFatal);
    o->set("clearSafeMode", r.clearSafeMode);
    return toJson(o) + "\n";
}

std::optional<ControlRequest> parseControlRequest(const std::string& text) {
    auto o = parseObject(text);
    auto nonce = stringAt(o, "nonce");
    if (!nonce) return std::nullopt;
    ControlRequest r;
    r.nonce = *nonce;
    r.retryFatal = boolAt(o, "retryFatal").value_or(true);
    r.clearSafeMode = boolAt(o, "clearSafeMode").value_or(false);
    return r;
}

} // namespace wildws::supervisor
