// The tier-1 `diagnostics` support action: one JSON report of what support
// needs to start helping - versions of wildws, its plugins and the detected
// agents, plugin states, serve/daemon/supervisor health, free disk in the
// home, the consent status and the newest errors from the logs. No secret
// value ever appears: the report holds none by construction, and a
// Redactor pass over the finished text makes sure of it.
#pragma once

#include "plugin_state.hpp"

#include <memory>

namespace wildws::support {

/// The report (redacted JSON text).
std::string diagnosticsReport(PluginState& state);

void registerDiagnosticsAction(Context& ctx, std::shared_ptr<PluginState> state);

} // namespace wildws::support
