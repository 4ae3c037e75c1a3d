// The grant status as JSON: one shape for `wildws support status --json`,
// GET /api/consent/status and (its grant fields) GET /api/support/status.
// Times are ms since the epoch (the seed's page computes with them), null
// when there is no live grant; tier 0 and remainingMs 0 when off.
#pragma once

#include "consent_service.hpp"

#include <Poco/JSON/Object.h>

namespace wildws::consent {

/// {enabled, tier, grantedAt, expiresAt, remainingMs, allows, reason,
///  offReason, operatorEnabled, maxMinutes, file}
Poco::JSON::Object::Ptr grantStatusJson(ConsentService& service, const GrantStatus& s);

} // namespace wildws::consent
