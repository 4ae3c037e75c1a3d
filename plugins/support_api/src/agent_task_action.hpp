// The tier-3 `agent-task` support action: {prompt, taskId?, mode?}.
// When serve is up (its pid file names a live process that answers
// GET /health as "workspace"), the task is relayed to serve's
// /api/support/agent-task, so it runs with the owner's page watching (live
// banner, Stop); serve's end line says "path":"serve". When serve is down
// (or cannot be connected to), the daemon runs the task itself through
// AgentSessions with the same recording and audit; its end line says
// "path":"daemon".
#pragma once

#include "plugin_state.hpp"

#include <memory>

namespace wildws::support {

std::optional<std::string> validateAgentTaskArgs(const std::string& argsJson);

void registerAgentTaskAction(Context& ctx, std::shared_ptr<PluginState> state);

} // namespace wildws::support
