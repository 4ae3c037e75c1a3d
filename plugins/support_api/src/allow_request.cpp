#include "allow_request.hpp"

#include <cctype>
#include <limits>

namespace wildws::support {
namespace {

/// A JSON integer, or a string of digits like the CLI's (saturating);
/// nullopt for anything else.
std::optional<std::int64_t> wholeNumber(const json::Object& body, const std::string& key) {
    if (auto n = json::getInt(body, key)) return n;
    auto s = json::getString(body, key);
    if (!s || s->empty()) return std::nullopt;
    std::int64_t n = 0;
    const std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 10 - 10;
    for (unsigned char c : *s) {
        if (!std::isdigit(c)) return std::nullopt;
        n = std::min(n * 10 + (c - '0'), limit);
    }
    return n;
}

} // namespace

AllowRequest readAllowRequest(const json::Object& body) {
    AllowRequest a;
    GrantRequest& g = a.request;
    g.actor = "owner";
    g.tier = 1;
    g.minutes = 60;
    if (body->has("tier")) {
        auto t = wholeNumber(body, "tier");
        // --tier takes one digit; anything else is refused as a bad tier.
        auto text = json::getString(body, "tier");
        if (text && text->size() != 1) t.reset();
        g.tier = t && *t >= 1 && *t <= 4 ? static_cast<int>(*t) : 0;
    }
    if (body->has("minutes")) {
        auto m = wholeNumber(body, "minutes");
        g.minutes = m ? *m : 0;
    }
    if (body->has("reason")) {
        auto r = json::getString(body, "reason");
        g.reason = r ? *r : std::string("\n"); // not a string: refused as a bad reason
    }
    if (body->has("confirm")) {
        auto c = json::getBool(body, "confirm");
        if (!c) a.error = AllowRequest::Error{"bad-confirm", "confirm must be true or false"};
        else g.confirmed = *c;
    }
    return a;
}

std::string confirmMessage(int tier, const std::string& allows) {
    return "tier " + std::to_string(tier) + " lets wildws support " +
           (tier >= 4 ? "run shell commands on" : "operate the agent on") +
           " your machine (time-boxed, audited, revocable): " + allows +
           ". Confirm to allow it (send \"confirm\": true).";
}

} // namespace wildws::support
