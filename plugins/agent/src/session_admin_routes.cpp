#include "session_admin_routes.hpp"

#include "conversation_admin.hpp"
#include "wire_json.hpp"

#include <wildws/common/json.hpp>

namespace wildws::agent {
namespace {

namespace json = common::json;

std::optional<ConversationMeta> known(SessionManager& m, const std::string& id, Response& res) {
    auto meta = ConversationStore::validId(id) && m.store().exists(id) ? m.store().load(id) : std::nullopt;
    if (!meta) res.error(404, "unknown-session", "no session '" + id + "'");
    return meta;
}

void rename(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    auto parsed = json::parse(req.body());
    if (!parsed) return res.error(400, "bad-json", "the body must be a JSON object {\"title\": \"...\"}: " + parsed.error);
    auto o = parsed.object;
    if (!known(m, id, res)) return;
    auto given = json::getString(o, "title");
    if (!given) return res.error(400, "bad-title", "title must be a string");
    std::string why;
    auto title = checkTitle(*given, why);
    if (!title) return res.error(400, "bad-title", why);
    try {
        setOwnerTitle(m.store().dir(), id, *title);
    } catch (const std::exception& e) {
        return res.error(500, "store-failed", std::string("cannot save the title: ") + e.what());
    }
    auto meta = m.store().load(id);
    if (!meta) return res.error(404, "unknown-session", "no session '" + id + "'"); // deleted meanwhile
    res.json(200, metaJson(*meta, LiveState{m.running(id), m.live(id) != nullptr, {}}));
}

void remove(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    if (!known(m, id, res)) return;
    if (m.running(id))
        return res.error(409, "session-busy", "session '" + id + "' is running: stop it first, then delete it");
    if (auto idle = m.live(id)) idle->closeIfIdle(); // its agent must not outlive the transcript
    try {
        if (!removeConversation(m.store().dir(), id)) return res.error(404, "unknown-session", "no session '" + id + "'");
    } catch (const std::exception& e) {
        return res.error(500, "store-failed", e.what());
    }
    auto out = json::object();
    out->set("id", id);
    out->set("deleted", true);
    res.json(200, json::toText(out));
}

} // namespace

void registerSessionAdminRoutes(Context& ctx, std::shared_ptr<SessionManager> manager) {
    auto add = [&](Method method, void (*fn)(SessionManager&, const Request&, Response&)) {
        RouteSpec spec;
        spec.method = method;
        spec.path = "/api/chat/sessions/:id";
        spec.role = Role::Workspace;
        spec.gate = Gate::Owner;
        spec.permission = Permission::ChatWrite;
        spec.handler = [manager, fn](const Request& req, Response& res) { fn(*manager, req, res); };
        ctx.route(std::move(spec));
    };
    add(Method::Patch, rename);
    add(Method::Delete, remove);
}

} // namespace wildws::agent
