#include "consent_service.hpp"

#include "file_io.hpp"
#include "format.hpp"

#include <wildws/secure.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace wildws::consent {

ConsentService::ConsentService(ServiceSettings settings, std::shared_ptr<Clock> clock,
                               std::shared_ptr<spdlog::logger> logger)
    : settings_(std::move(settings)),
      clock_(std::move(clock)),
      logger_(std::move(logger)),
      grants_(settings_.home + "/" + kGrantFileName),
      audit_(settings_.home + "/" + kAuditFileName),
      operators_(settings_.home + "/" + kOperatorFileName) {}

void ConsentService::logProblem(const std::string& message) const {
    if (!logger_) return;
    {
        // A daemon checks on every request: say the same thing once a minute.
        std::lock_guard lock(logMutex_);
        const std::int64_t mono = clock_->monotonicMs();
        auto it = lastLogged_.find(message);
        if (it != lastLogged_.end() && mono - it->second < 60000) return;
        if (lastLogged_.size() > 64) lastLogged_.clear();
        lastLogged_[message] = mono;
    }
    // A one-shot command already tells the person; a server must tell the log.
    if (settings_.role == Role::Cli) logger_->info("{}", message);
    else logger_->warn("{}", message);
}

void ConsentService::logInfo(const std::string& message) const {
    if (logger_) logger_->info("{}", message);
}

GrantStatus ConsentService::statusFrom(const Grant& g, std::int64_t remaining) const {
    GrantStatus s;
    s.file = grants_.path();
    s.tier = g.tier;
    s.grantedAt = g.grantedAt;
    s.expiresAt = g.expiresAt;
    s.remainingMs = remaining;
    s.reason = g.reason;
    return s;
}

void ConsentService::recordExpiry(const GrantCheck& check, const std::string& why) {
    // Audit the sighting once: under the audit lock, and only if the file
    // still holds this very grant (a new grant written meanwhile is kept).
    // Removing the expired file is what makes "once" hold across processes.
    bool removed = false;
    try {
        audit_.transact(
            [&]() -> std::vector<AuditEntry> {
                auto now = readPrivateFile(grants_.path(), kMaxGrantFileBytes);
                if (now.missing || now.content != check.raw) return {};
                removed = grants_.remove();
                if (!removed) return {};
                AuditEntry e;
                e.ts = clock_->nowMs();
                e.action = "grant-expired";
                e.tier = check.grant.tier;
                e.ok = true;
                e.actor = "wildws";
                e.detail = "the tier " + std::to_string(check.grant.tier) + " grant from " +
                           isoUtc(check.grant.grantedAt) + " " + why + "; its file was removed";
                return {e};
            },
            [&] {
                if (removed) wildws::writeFileAtomic(grants_.path(), check.raw);
            });
    } catch (const std::exception& e) {
        logProblem(std::string("could not record the expired support grant: ") + e.what());
    }
}

GrantStatus ConsentService::status() {
    const std::int64_t now = clock_->nowMs();
    GrantStatus s;
    s.file = grants_.path();
    auto check = grants_.read(now, settings_.maxMinutes.minutes);
    if (check.state == GrantState::Missing) return s;
    if (!settings_.maxMinutes.error.empty()) {
        s.offReason = "config: " + settings_.maxMinutes.error;
        logProblem("support grant ignored: " + s.offReason);
        return s;
    }
    if (check.state == GrantState::Invalid) {
        s.offReason = check.why;
        logProblem("support grant ignored (" + grants_.path() + "): " + check.why);
        return s;
    }
    if (check.state == GrantState::Expired) {
        recordExpiry(check, "expired at " + isoUtc(check.grant.expiresAt));
        s = statusFrom(check.grant, 0);
        s.offReason = "expired";
        return s;
    }
    // Live by the wall clock; also bound it by this process's monotonic clock.
    const std::int64_t maxMs = settings_.maxMinutes.minutes * 60000;
    const std::int64_t mono = clock_->monotonicMs();
    std::int64_t seen;
    {
        std::lock_guard lock(mutex_);
        auto key = std::to_string(check.grant.tier) + ":" + std::to_string(check.grant.grantedAt) + ":" +
                   std::to_string(check.grant.expiresAt);
        seen = firstSeen_.emplace(key, mono).first->second;
    }
    const std::int64_t monoLeft = seen + maxMs - mono;
    if (monoLeft <= 0) {
        recordExpiry(check, "was live for the maximum of " + formatMaximum(settings_.maxMinutes.minutes) +
                                " by this process's monotonic clock (was the wall clock set back?)");
        s = statusFrom(check.grant, 0);
        s.offReason = "expired";
        return s;
    }
    s = statusFrom(check.grant, std::min(check.grant.expiresAt - now, monoLeft));
    s.enabled = true;
    return s;
}

GrantResult ConsentService::grant(const GrantRequest& request) {
    GrantResult r;
    r.maxMinutes = settings_.maxMinutes.minutes;
    r.status.file = grants_.path();
    if (request.tier < kMinTier || request.tier > kMaxTier) {
        r.error = "bad-tier";
        r.message = tierUsageLine();
        return r;
    }
    if (request.minutes < 1) {
        r.error = "bad-minutes";
        r.message = minutesUsageLine(r.maxMinutes);
        return r;
    }
    if (!request.reason.empty() && !reasonIsValid(request.reason)) {
        r.error = "bad-reason";
        r.message = reasonUsageLine();
        return r;
    }
    if (request.tier >= kOperateTier && !request.confirmed) {
        r.error = "confirm-required";
        r.message = "tier " + std::to_string(request.tier) + " lets wildws support " + operateVerb(request.tier) +
                    " your machine (time-boxed, audited, revocable). Re-run with --yes to confirm:";
        return r;
    }
    if (!settings_.maxMinutes.error.empty()) {
        r.error = "config";
        r.message = settings_.maxMinutes.error;
        return r;
    }
    std::int64_t minutes = request.minutes;
    if (minutes > r.maxMinutes) {
        r.capped = true;
        minutes = r.maxMinutes;
    }
    const std::int64_t now = clock_->nowMs();
    Grant g{request.tier, now, now + minutes * 60000, request.reason};
    bool wrote = false;
    try {
        audit_.transact(
            [&]() -> std::vector<AuditEntry> {
                auto before = grants_.read(now, settings_.maxMinutes.minutes);
                grants_.write(g);
                wrote = true;
                AuditEntry e;
                e.ts = now;
                e.action = "grant";
                e.tier = g.tier;
                e.ok = true;
                e.actor = request.actor.empty() ? "owner" : request.actor;
                e.detail = "for " + formatDuration(g.expiresAt - g.grantedAt) + ", until " + isoUtc(g.expiresAt);
                if (r.capped)
                    e.detail += " (asked for " + std::string(request.minutes >= kMinutesSaturation ? "more than " : "") +
                                std::to_string(request.minutes) + " min, capped at the maximum of " +
                                formatMaximum(r.maxMinutes) + ")";
                if (before.state == GrantState::Live)
                    e.detail += "; replaces the live tier " + std::to_string(before.grant.tier) + " grant";
                if (!g.reason.empty()) e.detail += "; reason: " + g.reason;
                return {e};
            },
            [&] {
                if (wrote) grants_.remove();
            });
    } catch (const AuditError& e) {
        r.error = "write-failed";
        r.message = std::string(e.what()) + " - so support access was NOT allowed (every grant must be audited).";
        logProblem(r.message);
        return r;
    } catch (const std::exception& e) {
        r.error = "write-failed";
        r.message = "could not write support consent to " + grants_.path() + ": " + e.what();
        logProblem(r.message);
        return r;
    }
    logInfo("support allowed at tier " + std::to_string(g.tier) + " until " + isoUtc(g.expiresAt) + " by " +
            (request.actor.empty() ? std::string("owner") : request.actor));
    r.ok = true;
    r.status = statusFrom(g, g.expiresAt - now);
    r.status.enabled = true;
    return r;
}

RevokeOutcome ConsentService::revokeGrant(const std::string& actor, const std::string& detail) {
    RevokeOutcome o;
    const std::int64_t now = clock_->nowMs();
    bool ran = false;
    auto removeNow = [&] {
        auto check = grants_.read(now, settings_.maxMinutes.minutes);
        o.wasLive = check.state == GrantState::Live && settings_.maxMinutes.error.empty();
        o.tier = o.wasLive ? check.grant.tier : 0;
        o.remainingMs = o.wasLive ? check.grant.expiresAt - now : 0;
        o.offReason = check.why;
        if (check.state == GrantState::Live && !o.wasLive) o.offReason = "the consent config is broken";
        o.existed = grants_.remove();
        ran = true;
    };
    try {
        audit_.transact([&]() -> std::vector<AuditEntry> {
            removeNow();
            AuditEntry e;
            e.ts = now;
            e.action = "revoke";
            e.tier = o.tier;
            e.ok = true;
            e.actor = actor.empty() ? "owner" : actor;
            if (o.wasLive)
                e.detail = "revoked the live tier " + std::to_string(o.tier) + " grant (" +
                           formatDuration(o.remainingMs) + " were left)";
            else if (o.existed)
                e.detail = "removed a grant file that was not live (" + o.offReason + ")";
            else
                e.detail = "nothing to revoke";
            if (!detail.empty()) e.detail += "; " + detail;
            return {e};
        });
    } catch (const AuditError& e) {
        // Taking access away never waits for the audit.
        o.auditError = e.what();
        logProblem(std::string("support access revoked, but the audit could not record it: ") + e.what());
        if (!ran) removeNow();
    }
    logInfo(o.existed ? "support grant revoked by " + (actor.empty() ? std::string("owner") : actor)
                      : "revoke: no support grant was there");
    return o;
}

bool ConsentService::revoke(const std::string& actor, const std::string& detail) {
    try {
        return revokeGrant(actor, detail).existed;
    } catch (const std::exception& e) {
        logProblem(std::string("could not revoke support access: ") + e.what());
        return false;
    }
}

std::vector<AuditEntry> ConsentService::readAudit(std::size_t limit) {
    try {
        return audit_.newest(std::min(limit, kMaxReadLimit)).entries;
    } catch (const std::exception& e) {
        logProblem(std::string("could not read the audit feed: ") + e.what());
        return {};
    }
}

AuditFeed ConsentService::readAuditFeed(std::size_t limit) {
    AuditFeed f;
    f.file = audit_.path();
    try {
        auto r = audit_.newest(std::min(limit, kMaxReadLimit));
        f.entries = std::move(r.entries);
        f.skipped = r.skipped;
        f.unverified = r.legacy;
        f.tornTail = r.tornTail;
    } catch (const std::exception& e) {
        logProblem(std::string("could not read the audit feed: ") + e.what());
    }
    return f;
}

bool ConsentService::append(const AuditEntry& entry) {
    AuditEntry e = entry;
    if (e.ts <= 0) e.ts = clock_->nowMs();
    try {
        audit_.append(e);
        return true;
    } catch (const std::exception& ex) {
        logProblem(std::string("could not append to the audit feed: ") + ex.what());
        return false;
    }
}

Decision ConsentService::authorize(const std::string& action, int minTier, const std::string& actor,
                                   const std::string& detail) {
    Decision d;
    const int needed = std::max(minTier, kMinTier);
    GrantStatus s = status();
    d.tier = s.enabled ? s.tier : 0;
    if (!s.enabled) {
        if (s.offReason.empty()) {
            d.code = "no-consent";
            d.message = "support access is OFF: the owner has not allowed support (wildws support allow)";
        } else if (s.offReason == "expired") {
            d.code = "expired";
            d.message = "the owner's support grant has expired";
        } else {
            d.code = "no-consent";
            d.message = "support access is OFF: the grant is not valid (" + s.offReason + ")";
        }
    } else if (s.tier < needed) {
        d.code = "tier-insufficient";
        d.message = "'" + action + "' needs tier " + std::to_string(needed) + ", and support access is tier " +
                    std::to_string(s.tier);
    } else {
        d.allowed = true;
        d.message = "allowed by the tier " + std::to_string(s.tier) + " grant (" + formatDuration(s.remainingMs) +
                    " left)";
    }
    AuditEntry e;
    e.ts = clock_->nowMs();
    e.action = action;
    e.tier = needed;
    e.ok = d.allowed;
    e.actor = actor;
    e.detail = (d.allowed ? "" : "denied (" + d.code + "): ") + d.message;
    if (!detail.empty()) e.detail = detail + "; " + e.detail;
    if (!append(e)) {
        d.allowed = false;
        d.code = "audit-failed";
        d.message = "the audit feed could not be written, so the action is refused";
    }
    return d;
}

bool ConsentService::operatorTokenMatches(std::string_view token) { return operators_.matches(token); }

std::string ConsentService::tierDescription(int tier) const { return consent::tierDescription(tier); }

OperatorEnableOutcome ConsentService::enableOperator(const std::string& actor) {
    OperatorEnableOutcome o;
    const std::int64_t now = clock_->nowMs();
    std::string previousFile;
    bool wrote = false;
    try {
        audit_.transact(
            [&]() -> std::vector<AuditEntry> {
                auto before = readPrivateFile(operators_.path(), 4096);
                if (before.missing == false && before.unsafe.empty() && before.error.empty())
                    previousFile = before.content;
                o.replaced = operators_.status().enabled;
                o.token = operators_.enable(now);
                wrote = true;
                AuditEntry e;
                e.ts = now;
                e.action = "operator-enable";
                e.tier = 0;
                e.ok = true;
                e.actor = actor;
                e.detail = "operator token minted (fingerprint " + operators_.status().fingerprint + ")" +
                           (o.replaced ? "; the previous token no longer works" : "");
                return {e};
            },
            [&] {
                if (!wrote) return;
                if (previousFile.empty()) operators_.disable();
                else wildws::writeFileAtomic(operators_.path(), previousFile);
            });
    } catch (const AuditError& e) {
        throw std::runtime_error(std::string(e.what()) +
                                 " - so the operator token was NOT enabled (every change must be audited).");
    } catch (const std::exception& e) {
        throw std::runtime_error("could not write the operator token to " + operators_.path() + ": " + e.what());
    }
    logInfo("operator token enabled by " + actor);
    return o;
}

OperatorDisableOutcome ConsentService::disableOperator(const std::string& actor) {
    OperatorDisableOutcome o;
    bool ran = false;
    try {
        audit_.transact([&]() -> std::vector<AuditEntry> {
            auto before = operators_.status();
            o.existed = operators_.disable();
            ran = true;
            AuditEntry e;
            e.ts = clock_->nowMs();
            e.action = "operator-disable";
            e.tier = 0;
            e.ok = true;
            e.actor = actor;
            e.detail = o.existed ? (before.enabled ? "operator token deleted (fingerprint " + before.fingerprint + ")"
                                                   : "removed an unusable operator file (" + before.offReason + ")")
                                 : "no operator token to delete";
            return {e};
        });
    } catch (const AuditError& e) {
        o.auditError = e.what();
        logProblem(std::string("operator token deleted, but the audit could not record it: ") + e.what());
        if (!ran) o.existed = operators_.disable();
    }
    return o;
}

} // namespace wildws::consent
