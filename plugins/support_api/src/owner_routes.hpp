// serve: the owner's support routes (gate owner; chat to read, chatWrite to
// change). GET status | audit | sessions | sessions/:id, POST allow | revoke
// | operate/cancel. See owner_routes.cpp for each contract.
#pragma once

#include "plugin_state.hpp"
#include "status_tick.hpp"

#include <memory>

namespace wildws::support {

void registerOwnerRoutes(Context& ctx, std::shared_ptr<PluginState> state, std::shared_ptr<StatusWatcher> watcher);

/// ?limit= of GET /api/support/audit: a number clamped to 1..200; missing,
/// zero or not a number means 50 (the seed's `Number(x) || 50`).
std::size_t auditLimit(const std::optional<std::string>& text);

} // namespace wildws::support
