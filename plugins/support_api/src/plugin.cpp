// The support_api plugin: the support channel's routes on both sides and the
// actions support can run. serve and daemon both load it and run setup();
// each serves only the routes and ticks of its own role.
#include "action_routes.hpp"
#include "agent_task_action.hpp"
#include "agent_task_route.hpp"
#include "answer_command.hpp"
#include "diagnostics_action.hpp"
#include "logs_action.hpp"
#include "owner_routes.hpp"
#include "plugin_state.hpp"
#include "shell_action.hpp"
#include "status_tick.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <spdlog/spdlog.h>

namespace wildws::support {

constexpr long long kDefaultApprovalSeconds = 120;

class SupportApiPlugin : public Plugin {
public:
    PluginInfo info() const override {
        PluginInfo info{"support_api", "0.1.0",
                        "the support channel: the owner's /api/support routes, support's actions (diagnostics, logs, "
                        "agent-task, shell)"};
        // Unknown keys: the host warns, naming the closest of these.
        info.configKeys = {
            {"approval_seconds", std::to_string(kDefaultApprovalSeconds),
             "a support task's prompt the owner leaves unanswered this long is denied (1 to 86400)"},
        };
        return info;
    }

    void setup(Context& ctx) override {
        auto state = std::make_shared<PluginState>(ctx.host(), ctx.services(), ctx.logger());
        auto watcher = std::make_shared<StatusWatcher>(*state);
        state->approval = std::chrono::seconds(ctx.config().getInt("approval_seconds", kDefaultApprovalSeconds));
        if (state->approval.count() < 1 || state->approval.count() > 86400)
            throw ConfigError(ctx.config().section() + " approval_seconds = " + std::to_string(state->approval.count()) +
                              ": expected a whole number from 1 to 86400; fix it in wildws.ini");

        // serve: the owner's side, and the endpoint the daemon relays agent-tasks to
        // (the status and a task's prompts are the daemon's too: it runs tasks while serve is down).
        registerOwnerRoutes(ctx, state, watcher);
        ctx.command(answerCommand(ctx.host().home, ctx.services()));
        registerAgentTaskRoute(ctx, state);
        TickSpec tick;
        tick.name = "support-status";
        tick.role = Role::Workspace;
        tick.interval = std::chrono::milliseconds(250);
        tick.run = [watcher, state] { watcher->tick(); };
        ctx.tick(std::move(tick));

        // daemon: support's side.
        registerActionRoutes(ctx, state);
        registerDiagnosticsAction(ctx, state);
        registerLogsAction(ctx, state);
        registerAgentTaskAction(ctx, state);
        registerShellAction(ctx, state);
    }
};

} // namespace wildws::support

WILDWS_PLUGIN(wildws::support::SupportApiPlugin)
