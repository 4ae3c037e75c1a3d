// wildws SDK service "wildws.consent/1", provided by the consent plugin: the
// owner's time-boxed support grant, the hash-chained audit feed and the
// operator token. Every call re-reads the files: nothing caches a grant, so a
// revoke from another process is seen by the very next call.
#pragma once

#include <wildws/export.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wildws {

struct GrantStatus {
    bool enabled = false;       // a live grant
    int tier = 0;               // 1..4 when enabled
    std::int64_t grantedAt = 0; // ms since epoch
    std::int64_t expiresAt = 0;
    std::int64_t remainingMs = 0;
    std::string reason;         // the owner's reason for the grant
    std::string offReason;      // why OFF when a file exists: "expired", "corrupt: ..."
    std::string file;           // the consent file's path
};

struct GrantRequest {
    int tier = 1;
    std::int64_t minutes = 60;
    bool confirmed = false;     // tiers 3 and 4 need it
    std::string reason;
    std::string actor = "owner";
};

struct GrantResult {
    bool ok = false;
    /// On refusal: "bad-tier", "bad-minutes", "confirm-required", "write-failed".
    std::string error;
    std::string message;        // one line for a person
    bool capped = false;        // minutes were lowered to the maximum
    std::int64_t maxMinutes = 0;
    GrantStatus status;         // the new grant when ok
};

struct AuditEntry {
    std::int64_t ts = 0;        // ms since epoch
    std::string action;         // "grant", "revoke", "diagnostics", ...
    int tier = 0;
    bool ok = false;
    std::string actor;          // owner, operator, daemon, ...
    std::string detail;
    /// Read back only: a line from before the hash chain (written by the
    /// Node tool, without prev/hash). Shown, but nothing verifies it.
    bool legacy = false;
};

/// The newest entries of the audit feed, with what the reader passed over.
struct AuditFeed {
    std::vector<AuditEntry> entries; // newest first
    std::size_t skipped = 0;         // lines read that are not audit entries (garbage)
    std::size_t unverified = 0;      // entries with `legacy` set
    bool tornTail = false;           // the last line was incomplete (skipped)
    std::string file;                // the feed's path
};

struct Decision {
    bool allowed = false;
    /// When denied: "no-consent", "expired", "tier-insufficient", "audit-failed".
    std::string code;
    std::string message;
    int tier = 0;               // the live grant's tier (0 when none)
};

class WILDWS_EXPORT Consent {
public:
    static constexpr const char* kServiceId = "wildws.consent/1";
    virtual ~Consent();

    virtual GrantStatus status() = 0;
    /// The CLI's rules exactly: tier an integer 1..4, minutes positive and
    /// capped at the maximum, tiers 3-4 need `confirmed`. Audited.
    virtual GrantResult grant(const GrantRequest& request) = 0;
    /// True when a grant file was there. Audited.
    virtual bool revoke(const std::string& actor, const std::string& detail = {}) = 0;
    /// Newest first; cost independent of the audit's size.
    virtual std::vector<AuditEntry> readAudit(std::size_t limit) = 0;
    /// Appends one line to the chain; false if it could not be written.
    virtual bool append(const AuditEntry& entry) = 0;
    /// Checks the live grant against `minTier`, audits the attempt (allowed
    /// or denied, with the reason) and returns the decision. If the audit
    /// cannot be written the answer is denied.
    virtual Decision authorize(const std::string& action, int minTier, const std::string& actor,
                               const std::string& detail = {}) = 0;
    /// Constant-time check of an operator token; false when none is enabled.
    virtual bool operatorTokenMatches(std::string_view token) = 0;
    /// "read diagnostics + logs only", ... : what a tier lets support do.
    virtual std::string tierDescription(int tier) const = 0;
    /// readAudit() with the counts a reader shows next to the entries (ABI 2).
    /// Every entry is returned, however many garbage lines lie between them;
    /// a repeated read of an unchanged file costs a stat.
    virtual AuditFeed readAuditFeed(std::size_t limit) = 0;
    /// Operator access (operator.json) is on: a support engineer can connect (ABI 2).
    virtual bool operatorEnabled() = 0;
};

} // namespace wildws
