#include "status_tick.hpp"

#include "status_json.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/consent.hpp>

namespace wildws::support {
namespace {

std::string grantKeyOf(const GrantStatus& s, bool operatorOn) {
    if (!s.enabled) return "off";
    return std::to_string(s.tier) + ":" + std::to_string(s.grantedAt) + ":" + std::to_string(s.expiresAt) +
           (operatorOn ? ":op" : "");
}

std::string auditKeyOf(const AuditEntry& e) {
    return std::to_string(e.ts) + "\x1f" + e.action + "\x1f" + e.actor + "\x1f" + (e.ok ? "1" : "0") + "\x1f" +
           e.detail;
}

constexpr std::size_t kAuditCatchUp = 50;
// How long after a grant went off its revoke line may still arrive.
constexpr long long kRevokeLineWaitMs = 5000;

} // namespace

StatusWatcher::StatusWatcher(PluginState& state) : state_(state), startedAtMs_(common::nowMs()) {}

void StatusWatcher::tick() { check(false); }

void StatusWatcher::publishRevoked(const std::string& actor) {
    auto fields = json::object();
    fields->set("revoked", true);
    fields->set("actor", actor);
    state_.publish("support-revoked", fields);
}

void StatusWatcher::publishNow() { check(true); }

void StatusWatcher::check(bool force) {
    const auto now = common::nowMs();
    if (state_.operate.expire(now)) {
        auto fields = json::object();
        fields->set("operate", Poco::Dynamic::Var());
        state_.publish("support-operate", fields);
    }
    auto consent = state_.services.find<Consent>();
    GrantStatus s;
    std::vector<AuditEntry> newest;
    std::string allows;
    bool operatorOn = false;
    if (consent) {
        s = consent->status();
        newest = consent->readAudit(1);
        if (s.enabled) allows = consent->tierDescription(s.tier);
        operatorOn = consent->operatorEnabled();
    }
    std::lock_guard lock(m_);
    // The relay's connection and last request are news for the banner too.
    auto status = statusJsonFrom(consent != nullptr, s, newest.empty() ? std::nullopt : std::optional(newest.front()),
                                 allows, state_.operate, now, operatorOn);
    setRelay(status, state_.services);
    const auto relay = json::getObject(status, "relay");
    const std::string grantKey = grantKeyOf(s, operatorOn) + (relay ? "|" + json::toText(relay) : std::string());
    const std::string auditKey = newest.empty() ? "" : auditKeyOf(newest.front());
    // The first look compares with "off, and no audit entry since this
    // process started": a grant made while serve was starting is news.
    const bool firstLook = !primed_;
    primed_ = true;
    const bool grantChanged = grantKey != grantKey_;
    const bool wasOn = grantKey_ != "off" && grantKey_.rfind("off|", 0) != 0;
    if (grantChanged || force) {
        grantKey_ = grantKey;
        std::optional<AuditEntry> last;
        if (!newest.empty()) last = newest.front();
        state_.publish("support-status", status);
        if (grantChanged && wasOn && !s.enabled) {
            if (last && last->action == "revoke") publishRevoked(last->actor);
            else revokeAwaitedUntilMs_ = now + kRevokeLineWaitMs;
        }
    }
    if (s.enabled) revokeAwaitedUntilMs_ = 0;
    if (revokeAwaitedUntilMs_ != 0 && !newest.empty() && auditKey != auditKey_ && newest.front().action == "revoke") {
        publishRevoked(newest.front().actor);
        revokeAwaitedUntilMs_ = 0;
    } else if (revokeAwaitedUntilMs_ != 0 && now > revokeAwaitedUntilMs_) {
        revokeAwaitedUntilMs_ = 0; // an expiry, or a revoke whose audit line never came
    }
    if (auditKey != auditKey_ && consent) {
        // Publish every entry newer than the last one seen (up to 50).
        auto entries = json::array();
        auto recent = consent->readAudit(kAuditCatchUp);
        for (auto& e : recent) {
            if (firstLook ? e.ts < startedAtMs_ : auditKeyOf(e) == auditKey_) break;
            entries->add(auditEntryJson(e));
        }
        // Entries may have arrived since the first read: the newest read counts.
        auditKey_ = recent.empty() ? auditKey : auditKeyOf(recent.front());
        if (entries->size() > 0) {
            auto fields = json::object();
            fields->set("entries", entries);
            state_.publish("support-audit", fields);
        }
    }
}

} // namespace wildws::support
