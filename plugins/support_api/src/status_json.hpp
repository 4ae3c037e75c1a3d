// The JSON shapes the owner's page reads: GET /api/support/status (also the
// body of every `support-status` event), the operate state, audit entries.
// Building the status costs one read of the grant file and one entry read
// from the END of the audit feed, whatever the feed's size.
#pragma once

#include <wildws/common/audit_json.hpp>
#include <wildws/common/json.hpp>
#include "operate_state.hpp"

#include <wildws/services.hpp>
#include <wildws/services/consent.hpp>

#include <cstdint>
#include <optional>

namespace wildws::support {

/// "Support is acting" while the newest audit entry is younger than this.
constexpr std::int64_t kSupportActiveWindowMs = 120000;

/// The audit entry's one shape (the CLI's too).
using common::auditEntryJson;
/// null (JSON) when there is no operate state.
Poco::Dynamic::Var operateJson(const std::optional<OperateSnapshot>& s);
/// {enabled, tier, grantedAt, expiresAt, remainingMs, active, operate,
///  lastAction, allows, reason, offReason, operatorEnabled}: the seed's keys,
/// and the grant fields in the shape of `wildws support status --json` (times
/// null, tier 0 when off; offReason null when none) from readings already
/// taken (`consentLoaded` false: no Consent service).
json::Object statusJsonFrom(bool consentLoaded, const GrantStatus& grant, const std::optional<AuditEntry>& newest,
                          const std::string& allows, const OperateState& operate, std::int64_t nowMs,
                          bool operatorEnabled = false);
/// `relay` {connected, url, lastAction, lastRequestAt}: support's way in
/// through the relay plugin (null when it is not loaded or not configured).
void setRelay(json::Object status, Services& services);
/// The same, reading the grant and the newest audit entry now.
json::Object statusJson(Consent* consent, const OperateState& operate, std::int64_t nowMs);

} // namespace wildws::support
