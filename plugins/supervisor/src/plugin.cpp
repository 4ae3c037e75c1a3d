// The supervisor plugin: `wildws always-on ...` commands, and the daemon's
// `restart-server` support action.
#include "commands.hpp"
#include "restart_action.hpp"
#include "settings.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <spdlog/spdlog.h>

namespace wildws::supervisor {

class SupervisorPlugin : public Plugin {
public:
    PluginInfo info() const override {
        PluginInfo info{"supervisor", "0.1.0", "always-on: keeps serve and the support daemon running; restart-server action"};
        // Unknown keys: the host warns, naming the closest of these.
        info.configKeys = settingKeys();
        return info;
    }

    void setup(Context& ctx) override {
        CommandEnv env;
        env.host = ctx.host();
        env.config = &ctx.config();
        env.log = ctx.logger();
        env.services = &ctx.services();
        // Config errors are reported by the command that needs the values.
        auto settings = readSettings(ctx.config());
        for (auto& spec : commandSpecs(env)) ctx.command(std::move(spec));
        // A waiting caller gets its answer once the new server is up: it may
        // first wait for a starting server, then stop the old one and start again.
        const auto waitLimit = 2 * settings.settings.startTimeout + settings.settings.stopGrace + std::chrono::seconds(5);
        ctx.supportAction(
            restartServerAction(ctx.host().home, settings.settings.restartMinInterval.count() / 1000, waitLimit));
    }
};

} // namespace wildws::supervisor

WILDWS_PLUGIN(wildws::supervisor::SupervisorPlugin)
