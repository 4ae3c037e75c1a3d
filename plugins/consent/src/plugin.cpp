// The consent plugin: wires the Consent service and the CLI commands.
#include "commands.hpp"
#include "consent_service.hpp"
#include "owner_routes.hpp"
#include "policy.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace wildws::consent {

class ConsentPlugin : public Plugin {
public:
    PluginInfo info() const override {
        PluginInfo info{"consent", "0.1.0", "time-boxed support grants, the hash-chained audit feed and the operator token"};
        // Unknown keys: the host warns, naming the closest of these.
        info.configKeys = {
            {"max_minutes", std::to_string(kHardMaxMinutes),
             "the longest support grant the owner may give, in minutes (at most " + std::to_string(kHardMaxMinutes) + ")"},
        };
        return info;
    }

    void setup(Context& ctx) override {
        auto logger = ctx.logger();
        const Config& config = ctx.config();
        auto max = readMaxMinutes(config.get("max_minutes"), config.section());
        // A command that cares (allow, status) prints the config error itself;
        // a server has only its log to say it.
        if (!max.error.empty()) {
            if (ctx.host().role == Role::Cli) logger->info("{} - no support grant is live until it is fixed", max.error);
            else logger->error("{} - no support grant is live until it is fixed", max.error);
        }
        if (!max.warning.empty()) logger->warn("{}", max.warning);

        auto clock = clockFromEnvironment(std::getenv(kTestNowEnv));
        if (!clock.logLine.empty()) {
            if (clock.warn) logger->warn("{}", clock.logLine);
            else logger->info("{}", clock.logLine);
        }

        ServiceSettings settings;
        settings.home = ctx.host().home;
        settings.maxMinutes = max;
        settings.role = ctx.host().role;
        auto service = std::make_shared<ConsentService>(std::move(settings), clock.clock, logger);
        ctx.provide<Consent>(service);
        for (auto& spec : commandSpecs(service, ctx.services())) ctx.command(std::move(spec));
        // serve: the owner can always see and revoke a grant, support_api or not.
        registerOwnerRoutes(ctx, service);
    }
};

} // namespace wildws::consent

WILDWS_PLUGIN(wildws::consent::ConsentPlugin)
