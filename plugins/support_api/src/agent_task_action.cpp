#include "agent_task_action.hpp"

#include "agent_task_route.hpp"
#include "relay.hpp"
#include "serve_probe.hpp"
#include "task_runner.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/secrets.hpp>

#include <spdlog/spdlog.h>

namespace wildws::support {

std::optional<std::string> validateAgentTaskArgs(const std::string& argsJson) {
    auto a = json::parseObject(argsJson);
    if (!a) return std::string("args must be a JSON object");
    auto prompt = json::getString(a, "prompt");
    if (!prompt || common::trim(*prompt).empty()) return std::string("prompt must be a non-empty string");
    if (a->has("taskId") && !json::getString(a, "taskId")) return std::string("taskId must be a string");
    if (a->has("mode")) {
        auto mode = json::getString(a, "mode");
        if (!mode || (*mode != "plan" && *mode != "build")) return std::string("mode must be plan or build");
    }
    return std::nullopt;
}

void registerAgentTaskAction(Context& ctx, std::shared_ptr<PluginState> state) {
    SupportActionSpec spec;
    spec.name = "agent-task";
    spec.minTier = kAgentTaskTier;
    spec.description = "operate your coding agent on a task (recorded; shown live on your page when serve runs)";
    spec.role = Role::Daemon;
    spec.validate = validateAgentTaskArgs;
    spec.run = [state](const SupportActionCall& call, Response& res) {
        auto args = readAgentTaskArgs(json::parseObject(call.argsJson));
        auto serve = probeProcess(state->host.home, "server.pid", "workspace");
        if (serve.up) {
            std::string secret;
            try {
                if (auto secrets = state->services.find<Secrets>()) secret = secrets->supportChannelSecret();
            } catch (const std::exception& e) {
                if (state->log) state->log->warn("agent-task: no support-channel secret ({}); running in the daemon", common::describe(e));
            }
            if (!secret.empty()) {
                auto body = json::object();
                body->set("prompt", args.prompt);
                body->set("taskId", args.taskId);
                body->set("mode", args.mode);
                if (relayAgentTask(serve.port, secret, json::toText(body), res, call.stillAllowed, state->log) ==
                    RelayResult::Answered)
                    return;
            }
        } else if (state->log) {
            state->log->info("agent-task: serve is not up ({}); the daemon runs the task", serve.why);
        }
        TaskRunner(*state).run(TaskRequest{args.prompt, args.taskId, args.mode, "daemon"}, res);
    };
    ctx.supportAction(std::move(spec));
}

} // namespace wildws::support
