#include "plugins/plugin_context.hpp"
#include "plugins/registry.hpp"

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::host;

namespace {

class EmptyConfig : public Config {
public:
    std::optional<std::string> get(const std::string&) const override { return std::nullopt; }
    std::vector<std::string> keys() const override { return {}; }
    std::string section() const override { return "[plugin.t]"; }
};

struct Greeter {
    static constexpr const char* kServiceId = "test.greeter/1";
    std::string hello() const { return "hi"; }
};

RouteSpec route(Method m, const std::string& path, Role role = Role::Workspace) {
    RouteSpec r;
    r.method = m;
    r.path = path;
    r.role = role;
    r.handler = [](const Request&, Response&) {};
    return r;
}

std::string registrationError(const std::function<void()>& f) {
    try {
        f();
    } catch (const RegistrationError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("routes clash on method, shape and role, naming both owners", "[unit][registry]") {
    Registry registry;
    HostInfo host;
    EmptyConfig config;
    PluginContext first("alpha", host, config, nullptr, registry);
    first.route(route(Method::Get, "/api/chat/:id"));
    registry.commit(first.close());

    PluginContext second("beta", host, config, nullptr, registry);
    CHECK(registrationError([&] { second.route(route(Method::Get, "/api/chat/:other")); }) ==
          "route GET /api/chat/:other (workspace) is already registered by plugin 'alpha'; plugin 'beta' cannot "
          "register it too - disable one of them in wildws.ini");
    CHECK_NOTHROW(second.route(route(Method::Post, "/api/chat/:id")));
    CHECK_NOTHROW(second.route(route(Method::Get, "/api/chat/:id", Role::Daemon)));
    CHECK_NOTHROW(second.route(route(Method::Get, "/api/chat/list")));
}

TEST_CASE("a clash inside one plugin's own setup is caught too", "[unit][registry]") {
    Registry registry;
    HostInfo host;
    EmptyConfig config;
    PluginContext ctx("alpha", host, config, nullptr, registry);
    ctx.command({"x run", "", {}, {}, [](Invocation&) { return 0; }});
    CHECK(registrationError([&] { ctx.command({"x run", "", {}, {}, [](Invocation&) { return 0; }}); }) ==
          "command 'x run' is already registered by plugin 'alpha'; plugin 'alpha' cannot register it too - disable "
          "one of them in wildws.ini");
}

TEST_CASE("services are found by id and name only after commit", "[unit][registry]") {
    Registry registry;
    HostInfo host;
    EmptyConfig config;
    PluginContext ctx("alpha", host, config, nullptr, registry);
    ctx.provide(std::make_shared<Greeter>());
    ctx.provide(std::make_shared<Greeter>(), "second");
    CHECK(registry.find<Greeter>() == nullptr);
    registry.commit(ctx.close());
    REQUIRE(registry.find<Greeter>() != nullptr);
    CHECK(registry.find<Greeter>()->hello() == "hi");
    CHECK(registry.all<Greeter>().size() == 2);
    CHECK(registry.find<Greeter>("missing") == nullptr);
}

TEST_CASE("registrations after setup are refused", "[unit][registry]") {
    Registry registry;
    HostInfo host;
    EmptyConfig config;
    PluginContext ctx("alpha", host, config, nullptr, registry);
    registry.commit(ctx.close());
    try {
        ctx.command({"late", "", {}, {}, [](Invocation&) { return 0; }});
        FAIL("expected a throw");
    } catch (const std::logic_error& e) {
        CHECK(std::string(e.what()) ==
              "plugin 'alpha' called Context::command after setup() returned; register everything inside setup()");
    }
}

TEST_CASE("bad registrations name the plugin and the problem", "[unit][registry]") {
    Registry registry;
    HostInfo host;
    EmptyConfig config;
    PluginContext ctx("alpha", host, config, nullptr, registry);
    CHECK(registrationError([&] { ctx.route(route(Method::Get, "api/x")); }) ==
          "plugin 'alpha': route path 'api/x' must start with '/'");
    CHECK(registrationError([&] { ctx.route(route(Method::Get, "/x", Role::Cli)); }) ==
          "plugin 'alpha': route /x must name Role::Workspace or Role::Daemon");
    auto open = route(Method::Get, "/api/open");
    open.gate = Gate::Public;
    CHECK(registrationError([&] { ctx.route(open); }) ==
          "plugin 'alpha': route /api/open cannot be Gate::Public: every /api/ route needs the owner, the operator or "
          "the support channel");
    SupportActionSpec action;
    action.name = "shell";
    action.minTier = 5;
    action.run = [](const SupportActionCall&, Response&) {};
    CHECK(registrationError([&] { ctx.supportAction(action); }) ==
          "plugin 'alpha': support action 'shell' has tier 5, expected 1..4");
}
