#include "http/host_routes.hpp"

#include "app/tick_scheduler.hpp"
#include "cli/builtins.hpp"
#include "http/owner_session.hpp"
#include "http/server_core.hpp"
#include "plugins/plugin_host.hpp"
#include "services/activity_bus.hpp"
#include "services/secrets_file.hpp"

#include <wildws/common/json.hpp>
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

std::string loginRefusalText(LoginCodes::Outcome outcome) {
    switch (outcome) {
    case LoginCodes::Outcome::AlreadyUsed:
        return "This login link was already used. Run 'wildws open' for a new one.";
    case LoginCodes::Outcome::Expired:
        return "This login link has expired. Run 'wildws open' for a new one.";
    default:
        return "This login link is not valid. Run 'wildws open' for a new one.";
    }
}

std::string loginRefusal(LoginCodes::Outcome outcome) {
    switch (outcome) {
    case LoginCodes::Outcome::AlreadyUsed:
        return "This login link was already used. Run <code>wildws open</code> for a new one.";
    case LoginCodes::Outcome::Expired:
        return "This login link has expired. Run <code>wildws open</code> for a new one.";
    default:
        return "This login link is not valid. Run <code>wildws open</code> for a new one.";
    }
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
            o.set("uptimeMs", d.core ? nowMs() - d.core->startedAtMs.load() : 0);
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

    // The login page: it does not use the code up (a link preview or a
    // prefetch must not), it checks it and hands it to /js/login.js, which
    // exchanges it for a session token (POST /api/session).
    add(make(Method::Get, "/login", Role::Workspace, Gate::Public, [d](const Request& rq, Response& res) {
        LoginCodes codes(d.home);
        auto outcome = codes.peek(rq.query("code").value_or(""));
        if (outcome == LoginCodes::Outcome::Ok) {
            res.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; "
                                                     "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
            res.setHeader("X-Frame-Options", "DENY");
            res.send(200, "text/html; charset=utf-8",
                     "<!doctype html><meta charset=utf-8><title>wildws</title>"
                     "<script type=module src=\"/js/login.js\"></script>"
                     "<p id=login-status>Logging in…</p>"
                     "<noscript><p>The page needs JavaScript to log in.</p></noscript>\n");
            return;
        }
        res.send(401, "text/html; charset=utf-8", loginPage(loginRefusal(outcome)));
    }));

    add(make(Method::Post, "/api/session", Role::Workspace, Gate::Public, [d](const Request& rq, Response& res) {
        std::string code;
        try {
            auto o = Poco::JSON::Parser().parse(rq.body()).extract<Poco::JSON::Object::Ptr>();
            if (o && o->has("code") && o->get("code").isString()) code = o->getValue<std::string>("code");
        } catch (const std::exception&) {
        }
        if (code.empty()) {
            res.error(400, "bad-request", "send {\"code\": \"<the code from the login link>\"} as JSON");
            return;
        }
        LoginCodes codes(d.home);
        auto outcome = codes.consume(code);
        if (outcome != LoginCodes::Outcome::Ok) {
            const char* error = outcome == LoginCodes::Outcome::AlreadyUsed ? "login-code-used"
                                : outcome == LoginCodes::Outcome::Expired   ? "login-code-expired"
                                                                            : "login-code-unknown";
            res.error(401, error, loginRefusalText(outcome));
            return;
        }
        auto minted = OwnerSessions(d.home).mint();
        Poco::JSON::Object o;
        o.set("token", minted.token);
        wildws::common::json::setTimeOrNull(o, "expiresAt", minted.expiresAtMs);
        std::ostringstream out;
        o.stringify(out);
        res.json(200, out.str());
    }));

    add(make(Method::Delete, "/api/session", Role::Workspace, Gate::Owner, [d](const Request& rq, Response& res) {
        if (rq.caller().via != "session") {
            res.error(400, "not-a-session", "this request is authorised by the partner token, not a login session - "
                                            "there is nothing to log out");
            return;
        }
        OwnerSessions(d.home).revoke(bearerToken(rq.header("Authorization")).value_or(""));
        res.json(200, R"({"loggedOut":true})");
    }));
    return c;
}

} // namespace wildws::host
