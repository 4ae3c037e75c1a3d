#include "action_routes.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/consent.hpp>
#include <wildws/services/host.hpp>
#include <wildws/services/support_actions.hpp>

#include <algorithm>
#include <stdexcept>

namespace wildws::support {
namespace {

/// Room for the args in the audit's 2048-byte detail, next to the verdict.
constexpr std::size_t kArgsInAudit = 1900;

void listActions(PluginState& state, Response& res) {
    auto host = state.services.find<HostApi>();
    auto consent = state.services.find<Consent>();
    GrantStatus s;
    if (consent) s = consent->status();
    auto list = json::array();
    if (host)
        for (auto& a : host->supportActions()) {
            auto o = json::object();
            o->set("name", a.name);
            o->set("minTier", a.minTier);
            o->set("description", a.description);
            o->set("plugin", a.plugin);
            o->set("allowedNow", s.enabled && s.tier >= a.minTier);
            list->add(o);
        }
    auto grant = json::object();
    grant->set("enabled", s.enabled);
    grant->set("tier", s.enabled ? s.tier : 0);
    json::setTimeOrNull(grant, "expiresAt", s.enabled ? s.expiresAt : 0);
    grant->set("remainingMs", static_cast<Poco::Int64>(s.enabled ? s.remainingMs : 0));
    auto o = json::object();
    o->set("actions", list);
    o->set("grant", grant);
    res.json(200, json::toText(o));
}

/// `via` ("" over HTTP) starts each audit detail, so the owner sees how the
/// request arrived.
void runAction(PluginState& state, const std::string& rawName, const std::string& bodyText, const std::string& via,
               bool wait, Response& res) {
    const std::string name = common::cutUtf8(common::sanitizeUtf8(rawName), 64);
    const std::string origin = via.empty() ? "" : via + "; ";
    auto host = state.services.find<HostApi>();
    if (!host) return res.error(503, "no-host-api", "the host's action list is not available");
    std::optional<SupportActionInfo> info;
    std::string known;
    for (auto& a : host->supportActions()) {
        if (a.name == name) info = a;
        known += (known.empty() ? "" : ", ") + a.name;
    }
    if (!info) {
        state.audit(name.empty() ? "unknown-action" : name, 0, false, "operator", origin + "denied (unknown-action)");
        return res.error(404, "unknown-action", "no support action named '" + name + "' (known: " + known + ")");
    }
    auto refuse = [&](const std::string& message) {
        state.audit(name, info->minTier, false, "operator", origin + "denied (bad-args): " + message);
        res.error(400, "bad-args", message);
    };
    json::Object body = bodyText.empty() ? json::object() : json::parseObject(bodyText);
    if (!body) return refuse("the body must be a JSON object: {\"args\": {...}}");
    json::Object args = body->has("args") ? json::getObject(body, "args") : json::object();
    if (!args) return refuse("args must be a JSON object");
    const std::string argsJson = json::toText(args);
    try {
        if (auto bad = host->validateSupportAction(name, argsJson)) return refuse(*bad);
    } catch (const std::out_of_range&) {
        return res.error(404, "unknown-action", "no support action named '" + name + "'");
    }

    auto consent = state.services.find<Consent>();
    if (!consent) return res.error(403, "no-consent", "support access is OFF: the consent plugin is not loaded");
    // authorize() checks the live grant and writes the audit line (allowed or
    // denied, with the reason); the args go in its detail.
    auto d = consent->authorize(name, info->minTier, "operator",
                                origin + "args " + common::cutUtf8(argsJson, kArgsInAudit - std::min(origin.size(), kArgsInAudit / 2)));
    if (!d.allowed) return res.error(d.code == "audit-failed" ? 503 : 403, d.code, d.message);

    SupportActionCall call;
    call.argsJson = argsJson;
    call.actor = "operator";
    call.wait = wait;
    const int minTier = info->minTier;
    call.stillAllowed = [consent, minTier] {
        auto s = consent->status();
        return s.enabled && s.tier >= minTier;
    };
    host->runSupportAction(name, call, res);
}

/// The same two handlers for a plugin that is not the HTTP server (the relay).
class ActionGateway : public SupportActions {
public:
    explicit ActionGateway(std::shared_ptr<PluginState> state) : state_(std::move(state)) {}
    void list(Response& res) override { listActions(*state_, res); }
    void run(const std::string& name, const std::string& body, const std::string& via, Response& res) override {
        runAction(*state_, name, body, via, false, res); // no ?wait=1 over the relay
    }

private:
    std::shared_ptr<PluginState> state_;
};

} // namespace

void registerActionRoutes(Context& ctx, std::shared_ptr<PluginState> state) {
    if (ctx.host().role == Role::Daemon) ctx.provide<SupportActions>(std::make_shared<ActionGateway>(state));

    RouteSpec list;
    list.method = Method::Get;
    list.path = "/api/support/actions";
    list.role = Role::Daemon;
    list.gate = Gate::Operator;
    list.handler = [state](const Request&, Response& res) { listActions(*state, res); };
    ctx.route(std::move(list));

    RouteSpec run;
    run.method = Method::Post;
    run.path = "/api/support/actions/:name";
    run.role = Role::Daemon;
    run.gate = Gate::Operator;
    run.streams = true; // long actions stream NDJSON
    run.handler = [state](const Request& rq, Response& res) {
        const std::string wait = rq.query("wait").value_or("");
        runAction(*state, rq.param("name").value_or(""), rq.body(), "", wait == "1" || wait == "true", res);
    };
    ctx.route(std::move(run));
}

} // namespace wildws::support
