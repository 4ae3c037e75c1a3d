// The smallest useful wildws plugin: a command, an HTTP route and a tick.
// It needs only the SDK headers (no Poco): the host does the HTTP.
#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

namespace {

class HelloPlugin : public wildws::Plugin {
public:
    wildws::PluginInfo info() const override {
        return {"hello", "1.0.0", "example plugin: greets from the CLI and over HTTP"};
    }

    void setup(wildws::Context& ctx) override {
        auto log = ctx.logger(); // keep the logger, not the Context
        std::string greeting = ctx.config().getString("greeting", "hello"); // [plugin.hello] greeting = ...

        wildws::CommandSpec greet;
        greet.name = "hello greet";
        greet.summary = "print a greeting";
        greet.options = {{"name", "NAME", "who to greet (default: world)", {}}};
        greet.run = [greeting, log](wildws::Invocation& inv) {
            auto name = inv.value("name").value_or("world");
            log->info("greeted {}", name);
            inv.out() << greeting << ", " << name << "!\n";
            return 0;
        };
        ctx.command(std::move(greet));

        wildws::RouteSpec route;
        route.method = wildws::Method::Get;
        route.path = "/api/hello";
        route.gate = wildws::Gate::Owner; // the host checks the owner's token first
        route.handler = [this](const wildws::Request&, wildws::Response& res) {
            res.json(200, "{\"hello\":\"world\",\"ticks\":" + std::to_string(ticks_.load()) + "}");
        };
        ctx.route(std::move(route));

        wildws::TickSpec tick;
        tick.name = "count";
        tick.interval = std::chrono::seconds(1);
        tick.run = [this] { ++ticks_; };
        ctx.tick(std::move(tick));
    }

private:
    std::atomic<long> ticks_{0};
};

} // namespace

WILDWS_PLUGIN(HelloPlugin)
