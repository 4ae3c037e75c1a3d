// The agent plugin: three backends (claude, codex, command), the
// AgentSessions service that runs them, `wildws agent list|run`, and the chat
// API with its on-disk conversations.
#include "backends.hpp"
#include "commands.hpp"
#include "files_route.hpp"
#include "routes.hpp"
#include "session_admin_routes.hpp"
#include "session_manager.hpp"
#include "settings.hpp"
#include "signin.hpp"
#include "signin_routes.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

namespace wildws::agent {

class AgentPlugin : public Plugin {
public:
    PluginInfo info() const override {
        PluginInfo info{"agent", "0.1.0", "drives the coding agent you have (Claude Code, Codex, any CLI) and streams it"};
        info.configKeys = settingKeys();
        return info;
    }

    void setup(Context& ctx) override {
        AgentSettings settings = readSettings(ctx.config());
        auto claude = std::make_shared<ClaudeBackend>(settings);
        auto codex = std::make_shared<CodexBackend>(settings);
        ctx.provide<AgentBackend>(claude, "claude");
        ctx.provide<AgentBackend>(codex, "codex");
        ctx.provide<AgentSignin>(claudeSignin(claude, settings), "claude");
        ctx.provide<AgentSignin>(codexSignin(codex, settings), "codex");
        ctx.provide<AgentBackend>(std::make_shared<CommandBackend>(settings), "command");
        manager_ = std::make_shared<SessionManager>(ctx.services(), settings, ctx.host().home, ctx.logger());
        ctx.provide<AgentSessions>(manager_);
        registerCommands(ctx, manager_);
        registerRoutes(ctx, manager_);
        registerSessionAdminRoutes(ctx, manager_);
        registerFilesRoute(ctx, manager_);
        logins_ = std::make_shared<LoginManager>(ctx.services(), LoginLimits{settings.killGrace, std::chrono::seconds(900), settings.scrubEnv}, ctx.logger());
        registerSignin(ctx, logins_, settings);
    }

    void teardown() override {
        if (logins_) logins_->shutdown();
        if (manager_) manager_->shutdown();
    }

private:
    std::shared_ptr<SessionManager> manager_;
    std::shared_ptr<LoginManager> logins_;
};

} // namespace wildws::agent

WILDWS_PLUGIN(wildws::agent::AgentPlugin)
