// daemon: support's side of the channel (gate operator: the operator token,
// checked by the host through the Consent service before the handler).
//
// GET  /api/support/actions        every registered support action: name,
//                                  minTier, description, plugin, allowedNow;
//                                  and the live grant
// POST /api/support/actions/:name  {"args": {...}}:
//   unknown action                 404 unknown-action
//   body or args not an object     400 bad-args
//   the action's validator says no 400 bad-args, its message names the field
//   Consent::authorize denies      403 no-consent | expired | tier-insufficient
//                                  (503 audit-failed when the audit cannot be written)
//   then the action runs (JSON, or NDJSON ending with one `end` line).
// The daemon also provides both as the SupportActions service (the relay runs
// them for requests that arrive over NATS; its `via` starts the audit detail).
// Every attempt, allowed or denied, is one audit line with the reason; the
// args (so a shell command or an agent prompt) are in its detail.
#pragma once

#include "plugin_state.hpp"

#include <memory>

namespace wildws::support {

void registerActionRoutes(Context& ctx, std::shared_ptr<PluginState> state);

} // namespace wildws::support
