#include "http/host_routes.hpp"

#include "app/tick_scheduler.hpp"
#include "cli/builtins.hpp"
#include "http/owner_session.hpp"
#include "http/server_core.hpp"
#include "plugins/plugin_host.hpp"
#include "services/activity_bus.hpp"
#include "services/secrets_file.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>

namespace wildws::host {
namespace {

RouteSpec make(Method m, std::string path, Role role, Gate gate, RouteHandler handler, bool streams = false) {
    RouteSpec r;
    r.method = m;
    r.path = std::move(path);
    r.role = role;
    r.gate = gate;
    r.streams = streams;
    r.handler = std::move(handler);
    return r;
}

std::string loginPage(const std::string& message) {
    return "<!doctype html><meta charset=utf-8><title>wildws</title><p>" + message + "</p>\n";
}

// One subscriber's queue of events, bounded so a stuck page cannot grow it.
struct EventQueue {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::string> events;
    void push(const std::string& e) {
        {
            std::lock_guard lock(mutex);
            if (events.size() >= 1000) events.pop_front();
            events.push_back(e);
        }
        cv.notify_one();
    }
};

} // namespace

Contributions hostRoutes(HostRouteDeps d) {
    Contributions c;
    auto add = [&](RouteSpec spec) {
        RouteEntry e{kHostOwner, std::move(spec), {}};
        e.segments = splitPath(e.spec.path);
        c.routes.push_back(std::move(e));
    };

    for (Role role : {Role::Workspace, Role::Daemon}) {
        add(make(Method::Get, "/health", role, Gate::Public, [d, role](const Request&, Response& res) {
            Poco::JSON::Object o;
            o.set("status", "ok");
            o.set("version", d.version);
            o.set("role", role == Role::Workspace ? "workspace" : "daemon");
            o.set("uptimeMs", d.core ? nowMs() - d.core->startedAtMs : 0);
            std::ostringstream out;
            o.stringify(out);
            res.json(200, out.str());
        }));
        add(make(Method::Get, "/api/plugins", role, Gate::Owner, [d](const Request&, Response& res) {
            Poco::JSON::Object o;
            o.set("plugins", pluginsArray(d.plugins.table().snapshot()));
            o.set("ticks", ticksArray(d.plugins));
            std::ostringstream out;
            o.stringify(out);
            res.json(200, out.str());
        }));
    }

    add(make(
        Method::Get, "/api/events", Role::Workspace, Gate::Owner,
        [d](const Request&, Response& res) {
            auto queue = std::make_shared<EventQueue>();
            int id = d.bus.subscribe([queue](const std::string& e) { queue->push(e); });
            struct Unsubscribe {
                ActivityBusImpl& bus;
                int id;
                ~Unsubscribe() { bus.unsubscribe(id); }
            } unsubscribe{d.bus, id};
            auto& stream = res.stream("text/event-stream");
            stream.write("retry: 1000\n\n");
            auto lastWrite = std::chrono::steady_clock::now();
            while (!stream.closed()) {
                std::deque<std::string> batch;
                {
                    std::unique_lock lock(queue->mutex);
                    queue->cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return !queue->events.empty(); });
                    batch.swap(queue->events);
                }
                for (auto& e : batch)
                    if (!stream.write("data: " + e + "\n\n")) return;
                if (!batch.empty()) lastWrite = std::chrono::steady_clock::now();
                if (std::chrono::steady_clock::now() - lastWrite > std::chrono::seconds(15)) {
                    if (!stream.write(": keep-alive\n\n")) return;
                    lastWrite = std::chrono::steady_clock::now();
                }
            }
        },
        true));

    add(make(Method::Get, "/login", Role::Workspace, Gate::Public, [d](const Request& rq, Response& res) {
        LoginCodes codes(d.home);
        switch (codes.consume(rq.query("code").value_or(""))) {
        case LoginCodes::Outcome::Ok: {
            auto cookie = mintSessionCookie(d.secrets.shareSecret(), nowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(kSessionTtl).count());
            res.setHeader("Set-Cookie", std::string(kSessionCookie) + "=" + cookie +
                                            "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kSessionTtl).count()));
            res.setHeader("Location", "/");
            res.send(302, "text/html; charset=utf-8", loginPage("Logged in. <a href=\"/\">Continue</a>"));
            return;
        }
        case LoginCodes::Outcome::AlreadyUsed:
            res.send(401, "text/html; charset=utf-8",
                     loginPage("This login link was already used. Run <code>wildws open</code> for a new one."));
            return;
        case LoginCodes::Outcome::Expired:
            res.send(401, "text/html; charset=utf-8",
                     loginPage("This login link has expired. Run <code>wildws open</code> for a new one."));
            return;
        case LoginCodes::Outcome::Unknown:
            res.send(401, "text/html; charset=utf-8",
                     loginPage("This login link is not valid. Run <code>wildws open</code> for a new one."));
            return;
        }
    }));
    return c;
}

} // namespace wildws::host
