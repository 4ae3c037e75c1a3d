#include "allow_request.hpp"

#include "field_type.hpp"

#include <algorithm>
#include <cmath>

namespace wildws::support {
namespace {

// Where a huge minutes value saturates (the consent plugin caps it anyway):
// the same ceiling the CLI's --minutes saturates at.
constexpr std::int64_t kMinutesSaturation = 1000000000;

/// A JSON number that is a whole number, saturated; nullopt for a fraction.
std::optional<std::int64_t> wholeNumber(const json::Object& body, const std::string& key) {
    if (auto n = json::getInt(body, key)) return std::min(*n, kMinutesSaturation);
    double d = 0;
    try {
        d = body->get(key).convert<double>();
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (!std::isfinite(d) || d != std::floor(d)) return std::nullopt;
    if (d > static_cast<double>(kMinutesSaturation)) return kMinutesSaturation;
    if (d < -static_cast<double>(kMinutesSaturation)) return -kMinutesSaturation;
    return static_cast<std::int64_t>(d);
}

} // namespace

AllowRequest readAllowRequest(const json::Object& body) {
    AllowRequest a;
    GrantRequest& g = a.request;
    g.actor = "owner";
    g.tier = 1;
    g.minutes = 60;
    auto refuse = [&](const char* code, std::string message) {
        if (!a.error) a.error = AllowRequest::Error{code, std::move(message)};
    };
    if (auto bad = wrongType(body, "tier", "a JSON number from 1 to 4", isJsonNumber)) refuse("bad-tier", *bad);
    else if (body->has("tier")) {
        auto t = json::getInt(body, "tier");
        // A fraction or an out-of-range number: the consent service refuses
        // tier 0 with the CLI's words.
        g.tier = t && *t >= 1 && *t <= 4 ? static_cast<int>(*t) : 0;
    }
    if (auto bad = wrongType(body, "minutes", "a JSON number (whole minutes)", isJsonNumber))
        refuse("bad-minutes", *bad);
    else if (body->has("minutes")) {
        auto m = wholeNumber(body, "minutes");
        g.minutes = m ? *m : 0;
    }
    if (auto bad = wrongType(body, "reason", "a string", isJsonString)) refuse("bad-reason", *bad);
    else if (body->has("reason")) g.reason = *json::getString(body, "reason");
    if (auto bad = wrongType(body, "confirm", "true or false", isJsonBool)) refuse("bad-confirm", *bad);
    else if (body->has("confirm")) g.confirmed = *json::getBool(body, "confirm");
    return a;
}

std::string confirmMessage(int tier, const std::string& allows) {
    return "tier " + std::to_string(tier) + " lets wildws support " +
           (tier >= 4 ? "run shell commands on" : "operate the agent on") +
           " your machine (time-boxed, audited, revocable): " + allows +
           ". Confirm to allow it (send \"confirm\": true).";
}

} // namespace wildws::support
