// serve: POST /api/support/agent-task (gate: supportChannel, so only this
// machine's daemon with the support-channel secret reaches the handler).
// Defence in depth, as in the seed: the handler re-checks the live grant
// (tier >= 3, else 403 no-consent / tier-insufficient, audited), then
// 503 no-agent, then the body ({} when it is not a JSON object): a field of
// the wrong type (prompt, taskId not strings, mode not "plan"/"build") 400
// bad-args naming it, trimmed empty prompt 400 no-prompt, taskId cut to 64
// characters (default "task"), mode build by default. Then TaskRunner streams.
#pragma once

#include "plugin_state.hpp"

#include <memory>

namespace wildws::support {

/// The parsed body of an agent-task request (the daemon action uses it too).
struct AgentTaskArgs {
    std::string prompt; // trimmed; empty means "no prompt"
    std::string taskId;
    std::string mode;
};
AgentTaskArgs readAgentTaskArgs(const json::Object& body);

void registerAgentTaskRoute(Context& ctx, std::shared_ptr<PluginState> state);

} // namespace wildws::support
