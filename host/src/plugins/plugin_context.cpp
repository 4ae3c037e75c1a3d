#include "plugins/plugin_context.hpp"

#include <stdexcept>

namespace wildws::host {
namespace {

void require(bool ok, const std::string& owner, const std::string& what) {
    if (!ok) throw RegistrationError("plugin '" + owner + "': " + what);
}

} // namespace

PluginContext::PluginContext(std::string owner, const HostInfo& host, const Config& config,
                             std::shared_ptr<spdlog::logger> logger, Registry& registry)
    : owner_(std::move(owner)), host_(host), config_(config), logger_(std::move(logger)), registry_(registry) {}

void PluginContext::requireOpen(const char* what) const {
    if (!open_)
        throw std::logic_error("plugin '" + owner_ + "' called Context::" + what +
                               " after setup() returned; register everything inside setup()");
}

void PluginContext::command(CommandSpec spec) {
    requireOpen("command");
    require(!spec.name.empty() && spec.name.front() != ' ' && spec.name.back() != ' ', owner_,
            "a command needs a name like \"agent run\"");
    require(static_cast<bool>(spec.run), owner_, "command '" + spec.name + "' has no run function");
    registry_.checkCommand(bundle_, owner_, spec);
    bundle_.commands.push_back({owner_, std::move(spec)});
}

void PluginContext::route(RouteSpec spec) {
    requireOpen("route");
    require(!spec.path.empty() && spec.path[0] == '/', owner_, "route path '" + spec.path + "' must start with '/'");
    require(spec.role != Role::Cli, owner_, "route " + spec.path + " must name Role::Workspace or Role::Daemon");
    require(static_cast<bool>(spec.handler), owner_, "route " + spec.path + " has no handler");
    // Every /api/ route is authenticated; only pages may be public.
    require(!(spec.gate == Gate::Public && spec.path.rfind("/api/", 0) == 0), owner_,
            "route " + spec.path + " cannot be Gate::Public: every /api/ route needs the owner, the operator or "
            "the support channel");
    RouteEntry entry{owner_, std::move(spec), {}};
    entry.segments = splitPath(entry.spec.path);
    registry_.checkRoute(bundle_, owner_, entry);
    bundle_.routes.push_back(std::move(entry));
}

void PluginContext::tick(TickSpec spec) {
    requireOpen("tick");
    require(spec.role != Role::Cli, owner_, "tick '" + spec.name + "' must name Role::Workspace or Role::Daemon");
    require(spec.interval.count() >= 10, owner_, "tick '" + spec.name + "' needs an interval of at least 10 ms");
    require(static_cast<bool>(spec.run), owner_, "tick '" + spec.name + "' has no run function");
    registry_.checkTick(bundle_, owner_, spec);
    TickEntry entry;
    entry.owner = owner_;
    entry.spec = std::move(spec);
    bundle_.ticks.push_back(std::move(entry));
}

void PluginContext::supportAction(SupportActionSpec spec) {
    requireOpen("supportAction");
    require(!spec.name.empty(), owner_, "a support action needs a name");
    require(spec.minTier >= 1 && spec.minTier <= 4, owner_,
            "support action '" + spec.name + "' has tier " + std::to_string(spec.minTier) + ", expected 1..4");
    require(static_cast<bool>(spec.run), owner_, "support action '" + spec.name + "' has no run function");
    registry_.checkSupportAction(bundle_, owner_, spec);
    bundle_.supportActions.push_back({owner_, std::move(spec)});
}

void PluginContext::provideRaw(const std::string& serviceId, const std::string& name, std::shared_ptr<void> impl) {
    requireOpen("provide");
    require(impl != nullptr, owner_, "service " + serviceId + " provided as null");
    registry_.checkService(bundle_, owner_, serviceId, name);
    bundle_.services.push_back({owner_, serviceId, name, std::move(impl)});
}

Contributions PluginContext::close() {
    open_ = false;
    return std::move(bundle_);
}

} // namespace wildws::host
