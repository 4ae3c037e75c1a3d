// The Context one plugin sees during its setup(). Registrations are checked
// for clashes at once (so the throw lands inside the plugin's setup) and
// staged in a bundle that the loader commits only if setup() returns.
#pragma once

#include "plugins/registry.hpp"

#include <wildws/context.hpp>

namespace wildws::host {

class PluginContext : public Context {
public:
    PluginContext(std::string owner, const HostInfo& host, const Config& config,
                  std::shared_ptr<spdlog::logger> logger, Registry& registry);

    const HostInfo& host() const override { return host_; }
    const Config& config() const override { return config_; }
    std::shared_ptr<spdlog::logger> logger() const override { return logger_; }
    Services& services() override { return registry_; }

    void command(CommandSpec spec) override;
    void route(RouteSpec spec) override;
    void tick(TickSpec spec) override;
    void supportAction(SupportActionSpec spec) override;
    void provideRaw(const std::string& serviceId, const std::string& name, std::shared_ptr<void> impl) override;

    /// Ends setup: every later registration throws. Returns what was staged.
    Contributions close();

private:
    void requireOpen(const char* what) const;

    std::string owner_;
    const HostInfo& host_;
    const Config& config_;
    std::shared_ptr<spdlog::logger> logger_;
    Registry& registry_;
    Contributions bundle_;
    bool open_ = true;
};

} // namespace wildws::host
