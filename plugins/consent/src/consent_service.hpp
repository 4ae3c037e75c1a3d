// The wildws::Consent service (sdk/include/wildws/services/consent.hpp): the
// grant, the audit feed and the operator token, for this plugin's commands
// and for every other plugin (the daemon's support actions, the Operator
// gate). Thread-safe: it keeps no state but paths, settings and the
// monotonic "first seen" time of each grant; every call re-reads the files.
#pragma once

#include "audit_log.hpp"
#include "clock.hpp"
#include "grant_store.hpp"
#include "operator_token.hpp"
#include "policy.hpp"

#include <wildws/http.hpp>
#include <wildws/services/consent.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace spdlog {
class logger;
}

namespace wildws::consent {

/// readAudit() returns at most this many entries, so its cost stays bounded.
constexpr std::size_t kMaxReadLimit = 10000;

struct ServiceSettings {
    std::string home;            // the wildws state directory
    MaxMinutesSetting maxMinutes;
    Role role = Role::Cli;       // for log levels: a CLI prints, a server logs
};

struct RevokeOutcome {
    bool existed = false;     // a grant file was there
    bool wasLive = false;     // ... and it was a live grant
    int tier = 0;             // its tier when live
    std::int64_t remainingMs = 0;
    std::string offReason;    // why it was not live, when it existed
    std::string auditError;   // set: revoked, but the audit could not record it
};

struct OperatorEnableOutcome {
    std::string token;
    bool replaced = false;    // an earlier token existed and stopped working
};

struct OperatorDisableOutcome {
    bool existed = false;
    std::string auditError;
};

class ConsentService : public Consent {
public:
    ConsentService(ServiceSettings settings, std::shared_ptr<Clock> clock, std::shared_ptr<spdlog::logger> logger);

    // wildws::Consent
    GrantStatus status() override;
    GrantResult grant(const GrantRequest& request) override;
    bool revoke(const std::string& actor, const std::string& detail = {}) override;
    std::vector<AuditEntry> readAudit(std::size_t limit) override;
    bool append(const AuditEntry& entry) override;
    Decision authorize(const std::string& action, int minTier, const std::string& actor,
                       const std::string& detail = {}) override;
    bool operatorTokenMatches(std::string_view token) override;
    std::string tierDescription(int tier) const override;
    AuditFeed readAuditFeed(std::size_t limit) override;
    bool operatorEnabled() override { return operators_.status().enabled; }

    // For the CLI.
    /// Removes the grant (always, even if the audit cannot record it). Throws
    /// std::system_error if the file cannot be removed.
    RevokeOutcome revokeGrant(const std::string& actor, const std::string& detail);
    /// Throws std::runtime_error with one line when it cannot (nothing changed).
    OperatorEnableOutcome enableOperator(const std::string& actor);
    /// Throws std::system_error if the file cannot be removed.
    OperatorDisableOutcome disableOperator(const std::string& actor);
    OperatorState operatorStatus() const { return operators_.status(); }

    std::int64_t maxMinutes() const { return settings_.maxMinutes.minutes; }
    const std::string& configError() const { return settings_.maxMinutes.error; }
    const Clock& clock() const { return *clock_; }
    const AuditLog& audit() const { return audit_; }
    const GrantStore& grants() const { return grants_; }

private:
    void logProblem(const std::string& message) const;
    void logInfo(const std::string& message) const;
    void recordExpiry(const GrantCheck& check, const std::string& why);
    GrantStatus statusFrom(const Grant& g, std::int64_t remaining) const;

    ServiceSettings settings_;
    std::shared_ptr<Clock> clock_;
    std::shared_ptr<spdlog::logger> logger_;
    GrantStore grants_;
    AuditLog audit_;
    OperatorTokenStore operators_;

    std::mutex mutex_;
    // When this process first saw each grant (by its bytes), on the monotonic
    // clock: a grant is never live longer than the maximum after that, even
    // if the wall clock is set back.
    std::map<std::string, std::int64_t> firstSeen_;
    mutable std::mutex logMutex_;
    mutable std::map<std::string, std::int64_t> lastLogged_; // message -> monotonic ms
};

} // namespace wildws::consent
