#include "control_request.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>

namespace wildws::supervisor {

std::string controlRequestJson(const ControlRequest& r) {
    auto o = json::object();
    o->set("nonce", r.nonce);
    o->set("retryFatal", r.retryFatal);
    o->set("clearSafeMode", r.clearSafeMode);
    return json::toText(o) + "\n";
}

std::optional<ControlRequest> parseControlRequest(const std::string& text) {
    auto o = json::parseObject(text);
    auto nonce = json::getString(o, "nonce");
    if (!nonce) return std::nullopt;
    ControlRequest r;
    r.nonce = *nonce;
    r.retryFatal = json::getBool(o, "retryFatal").value_or(true);
    r.clearSafeMode = json::getBool(o, "clearSafeMode").value_or(false);
    return r;
}

} // namespace wildws::supervisor
