#include "grant_store.hpp"

#include "file_io.hpp"
#include "format.hpp"
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>
#include "policy.hpp"

#include <wildws/secure.hpp>

namespace wildws::consent {
namespace {

GrantCheck invalid(std::string why) {
    GrantCheck c;
    c.state = GrantState::Invalid;
    c.why = std::move(why);
    return c;
}

} // namespace

GrantCheck evaluateGrant(std::string_view content, std::int64_t nowMs, std::int64_t maxMinutes) {
    auto parsed = json::parse(content);
    if (!parsed.object) {
        if (parsed.error == "not valid JSON") return invalid("corrupt: not valid JSON (truncated or edited by hand?)");
        return invalid("corrupt: " + parsed.error);
    }
    const auto& o = parsed.object;
    static const char* const kKeys[] = {"version", "tier", "grantedAt", "expiresAt", "reason"};
    for (const auto& k : o->getNames()) {
        bool known = false;
        for (auto* want : kKeys) known = known || k == want;
        if (!known) return invalid("invalid: unexpected key '" + printable(k) + "'");
    }
    auto version = json::getInt(o, "version");
    if (!version || *version != kGrantVersion)
        return invalid("invalid: version must be " + std::to_string(kGrantVersion) +
                       (o->has("version") ? " (found " + json::memberText(o, "version") + ")" : " (missing)"));
    auto tier = json::getInt(o, "tier");
    if (!tier || *tier < kMinTier || *tier > kMaxTier)
        return invalid("invalid: tier must be an integer 1..4" +
                       (o->has("tier") ? " (found " + json::memberText(o, "tier") + ")" : std::string(" (missing)")));
    auto grantedAt = json::getInt(o, "grantedAt");
    if (!grantedAt || *grantedAt <= 0)
        return invalid("invalid: grantedAt must be a whole number of ms since the epoch" +
                       (o->has("grantedAt") ? " (found " + json::memberText(o, "grantedAt") + ")" : std::string(" (missing)")));
    auto expiresAt = json::getInt(o, "expiresAt");
    if (!expiresAt || *expiresAt <= 0)
        return invalid("invalid: expiresAt must be a whole number of ms since the epoch" +
                       (o->has("expiresAt") ? " (found " + json::memberText(o, "expiresAt") + ")" : std::string(" (missing)")));
    std::string reason;
    if (o->has("reason")) {
        auto r = json::getString(o, "reason");
        if (!r) return invalid("invalid: reason must be a string");
        reason = *r;
    }
    if (*expiresAt <= *grantedAt) return invalid("invalid: expiresAt is not after grantedAt");
    const std::int64_t span = *expiresAt - *grantedAt;
    if (span > maxMinutes * 60000)
        return invalid("invalid: it lasts " + formatDuration(span) + ", longer than the maximum of " +
                       formatMaximum(maxMinutes));
    if (*grantedAt > nowMs + kFutureSkewMs)
        return invalid("invalid: it starts in the future (grantedAt is " + formatDuration(*grantedAt - nowMs) +
                       " ahead of this clock)");

    GrantCheck c;
    c.grant = Grant{static_cast<int>(*tier), *grantedAt, *expiresAt, reason};
    if (nowMs >= *expiresAt) {
        c.state = GrantState::Expired;
        c.why = "expired";
    } else {
        c.state = GrantState::Live;
    }
    return c;
}

std::string serializeGrant(const Grant& grant) {
    auto o = json::object();
    o->set("version", kGrantVersion);
    o->set("tier", grant.tier);
    o->set("grantedAt", static_cast<Poco::Int64>(grant.grantedAt));
    o->set("expiresAt", static_cast<Poco::Int64>(grant.expiresAt));
    o->set("reason", common::sanitizeUtf8(grant.reason));
    return json::toText(o) + "\n";
}

GrantCheck GrantStore::read(std::int64_t nowMs, std::int64_t maxMinutes) const {
    auto file = readPrivateFile(path_, kMaxGrantFileBytes);
    if (file.missing) return GrantCheck{};
    if (!file.unsafe.empty()) return invalid("unsafe: it " + file.unsafe);
    if (!file.error.empty()) return invalid("unreadable: it " + file.error);
    auto check = evaluateGrant(file.content, nowMs, maxMinutes);
    check.raw = std::move(file.content);
    return check;
}

void GrantStore::write(const Grant& grant) const { wildws::writeFileAtomic(path_, serializeGrant(grant)); }

bool GrantStore::remove() const { return removeDurably(path_); }

} // namespace wildws::consent
