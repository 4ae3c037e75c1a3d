#include "owner_routes.hpp"


#include "allow_request.hpp"
#include "status_json.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/decision_body.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/consent.hpp>

#include <cmath>
#include <cstdlib>

namespace wildws::support {
namespace {

RouteSpec route(Method m, const std::string& path, Permission p, RouteHandler h, Role role = Role::Workspace) {
    RouteSpec r;
    r.method = m;
    r.path = path;
    r.role = role;
    r.gate = Gate::Owner;
    r.permission = p;
    r.handler = std::move(h);
    return r;
}

void allow(PluginState& state, StatusWatcher& watcher, const Request& rq, Response& res) {
    auto consent = state.services.find<Consent>();
    if (!consent) return res.error(503, "no-consent-plugin", "the consent plugin is not loaded, so support cannot be allowed");
    auto body = rq.body().empty() ? json::object() : json::parseObject(rq.body());
    if (!body)
        return res.error(400, "bad-body", "send a JSON object: {\"tier\": 1-4, \"minutes\": N, \"confirm\": bool, \"reason\": \"...\"}");
    auto parsed = readAllowRequest(body);
    if (parsed.error) return res.error(400, parsed.error->code, parsed.error->message);
    GrantRequest g = parsed.request;
    // The consent service applies the CLI's rules (ranges, cap, confirm)
    // and writes the audit entry with actor "owner".
    auto r = consent->grant(g);
    if (!r.ok) {
        if (r.error == "confirm-required") {
            auto o = json::object();
            o->set("error", r.error);
            o->set("message", confirmMessage(g.tier, consent->tierDescription(g.tier)));
            o->set("tier", g.tier);
            o->set("allows", consent->tierDescription(g.tier));
            return res.json(400, json::toText(o));
        }
        int status = r.error.rfind("bad-", 0) == 0 ? 400 : r.error == "config" ? 503 : 500;
        return res.error(status, r.error, r.message);
    }
    auto o = json::object();
    o->set("ok", true);
    o->set("enabled", true);
    o->set("tier", r.status.tier);
    json::setTimeOrNull(o, "grantedAt", r.status.grantedAt);
    json::setTimeOrNull(o, "expiresAt", r.status.expiresAt);
    o->set("remainingMs", static_cast<Poco::Int64>(r.status.remainingMs));
    o->set("capped", r.capped);
    o->set("maxMinutes", static_cast<Poco::Int64>(r.maxMinutes));
    o->set("allows", consent->tierDescription(r.status.tier));
    o->set("operatorEnabled", consent->operatorEnabled());
    res.json(200, json::toText(o));
    watcher.publishNow();
}

void revoke(PluginState& state, StatusWatcher& watcher, Response& res) {
    // Stop a task running here at once (before the grant goes, so the task
    // records the owner as the one who stopped it, not its grant check).
    state.stopRunning({"revoked", "the owner revoked support access"}, "owner");
    auto consent = state.services.find<Consent>();
    bool revoked = consent && consent->revoke("owner", "from the page");
    auto o = json::object();
    o->set("revoked", revoked);
    res.json(200, json::toText(o));
    auto fields = json::object();
    fields->set("revoked", revoked);
    fields->set("actor", "owner");
    state.publish("support-revoked", fields);
    watcher.publishNow();
}

} // namespace

std::size_t auditLimit(const std::optional<std::string>& text) {
    double n = 0;
    if (text) {
        const char* begin = text->c_str();
        char* end = nullptr;
        n = std::strtod(begin, &end);
        std::string rest = common::trim(end ? std::string(end) : std::string());
        if (end == begin || !rest.empty() || !std::isfinite(n)) n = 0;
    }
    if (n == 0) return 50;
    if (n < 1) return 1;
    if (n > 200) return 200;
    return static_cast<std::size_t>(n);
}

void registerOwnerRoutes(Context& ctx, std::shared_ptr<PluginState> state, std::shared_ptr<StatusWatcher> watcher) {
    // The status and a task's prompts on both sides: a task runs in the daemon
    // while serve is down, and its owner answers it there (wildws support answer).
    for (Role role : {Role::Workspace, Role::Daemon})
        ctx.route(route(Method::Get, "/api/support/status", Permission::Chat, [state](const Request&, Response& res) {
            auto consent = state->services.find<Consent>();
            auto status = statusJson(consent.get(), state->operate, common::nowMs());
            setRelay(status, state->services);
            res.json(200, json::toText(status));
        }, role));

    ctx.route(route(Method::Get, "/api/support/audit", Permission::Chat, [state](const Request& rq, Response& res) {
        // The same shape as `wildws support audit --json`.
        auto consent = state->services.find<Consent>();
        AuditFeed feed;
        if (consent) feed = consent->readAuditFeed(auditLimit(rq.query("limit")));
        auto entries = json::array();
        for (auto& e : feed.entries) entries->add(auditEntryJson(e));
        auto o = json::object();
        o->set("audit", entries);
        o->set("skipped", static_cast<Poco::UInt64>(feed.skipped));
        o->set("unverified", static_cast<Poco::UInt64>(feed.unverified));
        o->set("tornTail", feed.tornTail);
        o->set("file", feed.file);
        res.json(200, json::toText(o));
    }));

    ctx.route(route(Method::Post, "/api/support/allow", Permission::ChatWrite,
                    [state, watcher](const Request& rq, Response& res) { allow(*state, *watcher, rq, res); }));

    ctx.route(route(Method::Post, "/api/support/revoke", Permission::ChatWrite,
                    [state, watcher](const Request&, Response& res) { revoke(*state, *watcher, res); }));

    for (Role role : {Role::Workspace, Role::Daemon}) {
        ctx.route(route(Method::Post, "/api/support/operate/cancel", Permission::ChatWrite,
                        [state](const Request&, Response& res) {
                            // The task audits the stop itself ("stopped by the owner").
                            auto taskId = state->stopRunning({"stopped-by-owner", "the owner stopped the task"}, "owner");
                            auto o = json::object();
                            o->set("cancelled", taskId.has_value());
                            res.json(200, json::toText(o));
                        }, role));

        ctx.route(route(Method::Post, "/api/support/operate/permissions/:requestId", Permission::ChatWrite,
                        [state](const Request& rq, Response& res) {
                            std::string rid = rq.param("requestId").value_or("");
                            auto body = common::parseDecisionBody(rq.body());
                            if (!body.code.empty()) return res.error(400, body.code, body.message);
                            switch (state->answerPrompt(rid, body.decision)) {
                            case RespondResult::UnknownRequest:
                                return res.error(404, "unknown-request", "no support-task prompt '" + rid + "' is waiting");
                            case RespondResult::AlreadyAnswered:
                                return res.error(409, "already-answered", "prompt '" + rid + "' was already answered");
                            case RespondResult::BadDecision:
                                return res.error(400, "bad-decision",
                                                 "this prompt is a question: allow needs \"answers\": {\"<question>\": \"<label>\"}");
                            case RespondResult::Ok: break;
                            }
                            auto o = json::object();
                            o->set("requestId", rid);
                            o->set("decision", body.decision.decision);
                            o->set("scope", body.decision.scope);
                            res.json(200, json::toText(o));
                        }, role));
    }

    ctx.route(route(Method::Get, "/api/support/sessions", Permission::Chat, [state](const Request&, Response& res) {
        auto list = json::array();
        for (auto& s : state->archive.list()) list->add(summaryJson(s));
        auto o = json::object();
        o->set("sessions", list);
        res.json(200, json::toText(o));
    }));

    ctx.route(route(Method::Get, "/api/support/sessions/:id", Permission::Chat,
                    [state](const Request& rq, Response& res) {
                        std::string id = rq.param("id").value_or("");
                        auto replay = state->archive.read(id);
                        if (!replay) return res.error(404, "not-found", "no recorded support session '" + common::sanitizeUtf8(id) + "'");
                        auto o = json::object();
                        o->set("session", summaryJson(replay->summary));
                        o->set("header", replay->header ? Poco::Dynamic::Var(replay->header) : Poco::Dynamic::Var());
                        o->set("chunks", replay->chunks);
                        o->set("truncated", replay->truncated);
                        res.json(200, json::toText(o));
                    }));
}

} // namespace wildws::support
