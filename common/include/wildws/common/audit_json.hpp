// One JSON shape for an audit entry in every output that lists the feed
// (`wildws support audit --json`, GET /api/support/audit, the status's
// newest entry): {ts (ISO 8601), action, tier, ok, actor, detail,
// unverified}. `unverified`: a line from before the hash chain (the Node
// tool's). The stored line (with prev and hash, ts in ms) is consent's.
#pragma once

#include <wildws/common/json.hpp>
#include <wildws/services/consent.hpp>

namespace wildws::common {

json::Object auditEntryJson(const AuditEntry& entry);

} // namespace wildws::common
