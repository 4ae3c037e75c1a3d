#include "agent_task_route.hpp"

#include "field_type.hpp"
#include "task_runner.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/agent.hpp>
#include <wildws/services/consent.hpp>

namespace wildws::support {

AgentTaskArgs readAgentTaskArgs(const json::Object& body) {
    AgentTaskArgs a;
    a.prompt = common::trim(json::getString(body, "prompt").value_or(""));
    a.taskId = common::cutChars(common::sanitizeUtf8(json::getString(body, "taskId").value_or("")), 64);
    if (a.taskId.empty()) a.taskId = "task";
    a.mode = json::getString(body, "mode").value_or("") == "plan" ? "plan" : "build";
    return a;
}

void registerAgentTaskRoute(Context& ctx, std::shared_ptr<PluginState> state) {
    RouteSpec r;
    r.method = Method::Post;
    r.path = "/api/support/agent-task";
    r.role = Role::Workspace;
    r.gate = Gate::SupportChannel;
    r.streams = true;
    r.handler = [state](const Request& rq, Response& res) {
        auto consent = state->services.find<Consent>();
        if (!consent)
            return res.error(403, "no-consent", "support access is OFF: the consent plugin is not loaded");
        auto deny = [&](const std::string& code, const std::string& message) {
            state->audit("agent-task", kAgentTaskTier, false, "support-channel",
                         "denied (" + code + "): " + message);
            res.error(403, code, message);
        };
        const GrantStatus s = consent->status();
        if (!s.enabled)
            return deny("no-consent", s.offReason == "expired"
                                          ? "support access is OFF: the owner's support grant has expired"
                                          : "support access is OFF: the owner has not allowed support");
        if (s.tier < kAgentTaskTier)
            return deny("tier-insufficient", "'agent-task' needs tier " + std::to_string(kAgentTaskTier) +
                                                 ", and support access is tier " + std::to_string(s.tier));
        if (!state->services.find<AgentSessions>())
            return res.error(503, "no-agent", "no agent plugin is loaded, so support cannot operate an agent");

        // A body that is not a JSON object counts as {} (the seed's rule).
        auto body = json::parseObject(rq.body());
        if (!body) body = json::object();
        // A field of the wrong JSON type is refused naming it, never converted.
        for (auto bad : {wrongType(body, "prompt", "a string", isJsonString),
                         wrongType(body, "taskId", "a string", isJsonString),
                         wrongType(body, "mode", "\"plan\" or \"build\"", isJsonString)})
            if (bad) return res.error(400, "bad-args", *bad);
        if (auto mode = json::getString(body, "mode"); mode && *mode != "plan" && *mode != "build")
            return res.error(400, "bad-args", "mode must be \"plan\" or \"build\" (got \"" + common::cutChars(common::sanitizeUtf8(*mode), 40) + "\")");
        auto args = readAgentTaskArgs(body);
        if (args.prompt.empty()) return res.error(400, "no-prompt", "the prompt is empty");
        TaskRunner(*state).run(TaskRequest{args.prompt, args.taskId, args.mode, "serve"}, res);
    };
    ctx.route(std::move(r));
}

} // namespace wildws::support
