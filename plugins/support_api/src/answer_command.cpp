#include "answer_command.hpp"

#include "serve_probe.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/secrets.hpp>

#include <Poco/Net/HTTPRequest.h>

#include <functional>
#include <optional>
#include <sstream>

namespace wildws::support {
namespace {

/// The status and answer calls: a live process answers at once.
constexpr int kCallTimeoutMs = 5000;

/// One process of this home that may run a support task.
struct Place {
    std::string name;     // serve | daemon
    int port = 0;
    std::string why;      // not asked: one line
    json::Array pending;  // operate.pending, when asked
};

/// Asks each live process; `token` is read only when one is up (nothing
/// running: no secrets file is touched).
std::vector<Place> ask(const std::string& home, const std::function<std::string()>& readToken) {
    std::vector<Place> out;
    std::optional<std::string> token;
    for (auto [name, file] : {std::pair<const char*, const char*>{"serve", "server.pid"}, {"daemon", "daemon.pid"}}) {
        Place p;
        p.name = name;
        auto live = liveFromPidFile(home, file);
        if (!live.up) {
            p.why = live.why;
            out.push_back(std::move(p));
            continue;
        }
        if (!token) token = readToken(); // throws: the caller says why
        p.port = live.port;
        auto r = loopbackCall(p.port, Poco::Net::HTTPRequest::HTTP_GET, "/api/support/status", *token, "", kCallTimeoutMs);
        auto status = json::parseObject(r.body);
        if (!r.failure.empty()) p.why = "GET /api/support/status on port " + std::to_string(p.port) + " failed: " + r.failure;
        else if (r.status != 200 || !status)
            p.why = "GET /api/support/status on port " + std::to_string(p.port) + " answered " + std::to_string(r.status);
        else {
            auto operate = json::getObject(status, "operate");
            p.pending = json::getArray(operate, "pending");
            if (!operate || !json::getBool(operate, "active").value_or(false)) p.why = "no support task is running there";
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::string whereNot(const std::vector<Place>& places) {
    std::string out;
    for (auto& p : places) out += (out.empty() ? "" : "; ") + p.name + ": " + (p.why.empty() ? "nothing waits" : p.why);
    return out;
}

int list(Invocation& inv, const std::vector<Place>& places) {
    auto all = json::array();
    std::ostringstream text;
    for (auto& p : places)
        for (std::size_t i = 0; p.pending && i < p.pending->size(); ++i) {
            auto e = p.pending->getObject(static_cast<unsigned>(i));
            if (!e) continue;
            e->set("path", p.name);
            all->add(e);
            text << json::getString(e, "requestId").value_or("?") << "  " << json::getString(e, "title").value_or("")
                 << " (task '" << json::getString(e, "taskId").value_or("") << "', run by " << p.name << ")\n";
        }
    if (inv.flag("json")) {
        auto o = json::object();
        o->set("pending", all);
        inv.out() << json::toText(o) << "\n";
        return 0;
    }
    if (all->size() == 0) {
        inv.out() << "no support-task prompt is waiting (" << whereNot(places) << ")\n";
        return 0;
    }
    inv.out() << text.str() << "answer with: wildws support answer REQUEST_ID allow|deny [--session] [--message TEXT]\n";
    return 0;
}

int fail(Invocation& inv, int code, const std::string& error, const std::string& message) {
    if (inv.flag("json")) {
        auto o = json::object();
        o->set("error", error);
        o->set("message", message);
        inv.out() << json::toText(o) << "\n";
    }
    inv.err() << message << "\n";
    return code;
}

} // namespace

CommandSpec answerCommand(const std::string& home, Services& services) {
    CommandSpec spec;
    spec.name = "support answer";
    spec.summary = "answer a support task's prompt (its agent asks to use a tool); no arguments: list what waits";
    spec.options = {{"session", "", "allow for the rest of the task, not just this once", {}},
                    {"message", "TEXT", "deny: the reason, told to the agent", {}},
                    {"answers", "JSON", "a question: {\"<question>\": \"<label>\"}", {}},
                    {"json", "", "print JSON (the route's body, or {\"pending\": [...]})", {}}};
    spec.positionals = {{"REQUEST_ID", "the prompt to answer (as listed)", false, false},
                        {"DECISION", "allow or deny", false, false}};
    spec.run = [home, &services](Invocation& inv) {
        auto id = inv.positional("REQUEST_ID");
        auto decision = inv.positional("DECISION");
        if (id && !decision) return fail(inv, 2, "bad-decision", "say allow or deny after the request id");
        if (decision && *decision != "allow" && *decision != "deny")
            return fail(inv, 2, "bad-decision", "the decision is allow or deny (got '" + common::sanitizeUtf8(*decision) + "')");
        json::Object body = json::object();
        if (decision) {
            body->set("decision", *decision);
            body->set("scope", std::string(inv.flag("session") ? "session" : "once"));
            if (auto m = inv.value("message")) body->set("message", *m);
            if (auto a = inv.value("answers")) {
                auto answers = json::parseObject(*a);
                if (!answers) return fail(inv, 2, "bad-decision", "--answers must be a JSON object {\"<question>\": \"<label>\"}");
                body->set("answers", answers);
            }
        }
        std::string token;
        auto readToken = [&] {
            auto secrets = services.find<Secrets>();
            if (!secrets) throw SecretsError("no secrets service");
            token = secrets->partnerToken();
            return token;
        };
        std::vector<Place> places;
        try {
            places = ask(home, readToken);
        } catch (const std::exception& e) {
            return fail(inv, 1, "no-token", std::string("cannot read the owner's token: ") + e.what());
        }
        if (!id) return list(inv, places);

        for (auto& p : places)
            for (std::size_t i = 0; p.pending && i < p.pending->size(); ++i) {
                auto e = p.pending->getObject(static_cast<unsigned>(i));
                if (json::getString(e, "requestId").value_or("") != *id) continue;
                auto r = loopbackCall(p.port, Poco::Net::HTTPRequest::HTTP_POST, "/api/support/operate/permissions/" + *id,
                                      token, json::toText(body), kCallTimeoutMs);
                const std::string process = p.name == "serve" ? "wildws serve" : "the support daemon";
                if (!r.failure.empty())
                    return fail(inv, 1, "unreachable", process + " did not take the answer: " + r.failure + "; try again");
                auto answer = json::parseObject(r.body);
                if (r.status != 200)
                    return fail(inv, 1, json::getString(answer, "error").value_or("failed"),
                                json::getString(answer, "message").value_or(process + " answered " + std::to_string(r.status)));
                if (inv.flag("json")) inv.out() << r.body << (r.body.empty() || r.body.back() != '\n' ? "\n" : "");
                else
                    inv.out() << (*decision == "allow" ? "allowed" : "denied") << " "
                              << json::getString(e, "tool").value_or("the tool") << " for task '"
                              << json::getString(e, "taskId").value_or("") << "'"
                              << (*decision == "allow" ? (inv.flag("session") ? " for the rest of the task" : " once") : "")
                              << " (run by " << p.name << ")\n";
                return 0;
            }
        return fail(inv, 1, "unknown-request",
                    "no support-task prompt '" + common::sanitizeUtf8(*id) + "' is waiting (" + whereNot(places) +
                        "); list them with 'wildws support answer'");
    };
    return spec;
}

} // namespace wildws::support
