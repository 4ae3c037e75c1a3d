#include "routes.hpp"

#include "conversation_admin.hpp"
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>
#include "prompt_routes.hpp"
#include "wire_json.hpp"

#include <thread>

namespace wildws::agent {
namespace {

using std::chrono::milliseconds;

/// How often a busy stream also asks the socket whether the client is still there.
constexpr int kProbeEvery = 64;
constexpr std::size_t kBatchBytes = 64 * 1024;
constexpr std::size_t kMaxImages = 8;
constexpr std::size_t kMaxImageBase64 = 5u << 20; // the Messages API's per-image limit

LiveState liveState(SessionManager& m, const std::string& id) {
    LiveState s;
    s.running = m.running(id);
    s.live = m.live(id) != nullptr;
    if (s.running) s.pending = m.pending(id);
    return s;
}

void bad(ChatBody& b, std::string code, std::string message) {
    b.status = 400;
    b.code = std::move(code);
    b.message = std::move(message);
}

/// Streams one turn until `end`; cancels the run when the client goes away.
/// Chunks already queued go out together in one write (one HTTP chunk), so a
/// fast agent is not slowed to one syscall per line; a lone chunk goes at once.
void pump(Started& started, Stream& stream) {
    auto& session = *started.session;
    std::string batch;
    int writes = 0;
    bool ended = false;
    for (;;) {
        auto c = session.next(batch.empty() ? milliseconds(100) : milliseconds(0));
        if (c) {
            batch += c->type == "start" ? startLineJson(*c, started.resumed, started.notice, started.live) : toJson(*c);
            batch += '\n';
            ended = c->type == "end";
            // The start line goes out alone and at once: it names the session.
            if (!ended && c->type != "start" && batch.size() < kBatchBytes) continue;
        }
        if (!batch.empty()) {
            if (!stream.write(batch) || (++writes % kProbeEvery == 0 && stream.closed())) {
                session.detach("the client went away"); // one-shot: cancel; live: goes on, recorded
                return;
            }
            batch.clear();
            if (ended) return;
            continue;
        }
        if (stream.closed()) { // idle: is anyone still listening?
            session.detach("the client went away");
            return;
        }
    }
}

void chat(SessionManager& m, const Request& req, Response& res) {
    ChatBody body = parseChatBody(req.body());
    if (body.status) return res.error(body.status, body.code, body.message);
    StartOptions options;
    options.conversationId = body.sessionId;
    options.persist = true;
    AgentStartError error;
    auto started = m.startTurn(body.request, body.agent, options, error);
    if (!started) return res.error(error.status ? error.status : 500, error.code, error.message);
    pump(*started, res.stream());
}

void cancel(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    if (!ConversationStore::validId(id)) return res.error(404, "unknown-session", "no session '" + id + "'");
    auto session = m.find(id);
    if (!session || session->finished()) {
        if (session || m.store().exists(id)) return res.error(409, "not-running", "session '" + id + "' is not running");
        return res.error(404, "unknown-session", "no session '" + id + "'");
    }
    session->cancel("cancelled by the owner");
    // Answer once the group is gone (bounded by the kill grace), so a 200 means stopped.
    auto deadline = std::chrono::steady_clock::now() + m.settings().killGrace + milliseconds(2000);
    while (!session->finished() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(milliseconds(10));
    auto o = json::object();
    o->set("sessionId", id);
    o->set("cancelled", true);
    o->set("stopped", session->finished());
    res.json(200, json::toText(o));
}

void sessions(SessionManager& m, const Request& req, Response& res) {
    long limit = 100;
    if (auto q = req.query("limit")) {
        try {
            std::size_t used = 0;
            limit = std::stol(*q, &used);
            if (used != q->size()) throw std::invalid_argument("junk");
        } catch (const std::exception&) {
            return res.error(400, "bad-limit", "limit must be a whole number from 1 to 1000");
        }
        if (limit < 1 || limit > 1000) return res.error(400, "bad-limit", "limit must be a whole number from 1 to 1000");
    }
    std::string q = common::trim(req.query("q").value_or("")); // search: conversation_admin.hpp
    if (q.size() > kMaxQueryBytes)
        return res.error(400, "bad-query", "q is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
    auto metas = q.empty() ? m.store().list(static_cast<std::size_t>(limit))
                           : searchConversations(m.store(), q, static_cast<std::size_t>(limit));
    std::vector<LiveState> states;
    for (auto& meta : metas) states.push_back(liveState(m, meta.id));
    res.json(200, sessionsJson(metas, states));
}

void session(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    auto meta = ConversationStore::validId(id) ? m.store().load(id) : std::nullopt;
    auto text = meta ? m.store().transcript(id) : std::nullopt;
    if (!meta || !text) return res.error(404, "unknown-session", "no session '" + id + "'");
    std::string body = metaJson(*meta, liveState(m, id), "session", true);
    body += '\n';
    body += *text;
    res.send(200, "application/x-ndjson", body);
}

} // namespace

ChatBody parseChatBody(const std::string& text) {
    ChatBody b;
    auto o = json::parseObject(text, json::ParseOptions::loose());
    if (!o) {
        bad(b, "bad-json", "the body must be a JSON object: {\"prompt\": \"...\"}");
        return b;
    }
    auto prompt = o->get("prompt");
    if (prompt.isEmpty() || (prompt.isString() && prompt.extract<std::string>().find_first_not_of(" \t\r\n") == std::string::npos)) {
        bad(b, "empty-prompt", "the prompt is empty");
        return b;
    }
    if (!prompt.isString()) {
        bad(b, "bad-prompt", "prompt must be a string");
        return b;
    }
    b.request.prompt = prompt.extract<std::string>();
    for (const char* key : {"agent", "mode", "cwd", "sessionId"}) {
        auto v = o->get(key);
        if (!v.isEmpty() && !v.isString()) {
            bad(b, std::string("bad-") + (std::string(key) == "sessionId" ? "session-id" : key),
                std::string(key) + " must be a string");
            return b;
        }
    }
    b.agent = json::getString(o, "agent").value_or("");
    std::string mode = json::getString(o, "mode").value_or("build");
    if (mode != "plan" && mode != "build") {
        bad(b, "bad-mode", "mode must be plan or build");
        return b;
    }
    b.request.mode = mode == "plan" ? AgentMode::Plan : AgentMode::Build;
    b.request.cwd = json::getString(o, "cwd").value_or("");
    b.sessionId = json::getString(o, "sessionId").value_or("");
    auto images = o->get("images");
    if (!images.isEmpty()) {
        if (images.type() != typeid(Poco::JSON::Array::Ptr)) {
            bad(b, "bad-image", "images must be an array of {\"mediaType\", \"data\"}");
            return b;
        }
        auto list = images.extract<Poco::JSON::Array::Ptr>();
        if (list->size() > kMaxImages) {
            bad(b, "bad-image", "at most " + std::to_string(kMaxImages) + " images per message");
            return b;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto img = list->getObject(static_cast<unsigned>(i));
            std::string n = "image " + std::to_string(i + 1);
            if (!img) {
                bad(b, "bad-image", n + " must be an object {\"mediaType\", \"data\"}");
                return b;
            }
            AgentImage a;
            a.mediaType = json::getString(img, "mediaType").value_or("");
            a.data = json::getString(img, "data").value_or("");
            if (a.mediaType != "image/png" && a.mediaType != "image/jpeg" && a.mediaType != "image/gif" &&
                a.mediaType != "image/webp") {
                bad(b, "bad-image", n + ": mediaType must be image/png, image/jpeg, image/gif or image/webp");
                return b;
            }
            if (a.data.empty() || a.data.size() > kMaxImageBase64 ||
                a.data.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
                    std::string::npos) {
                bad(b, "bad-image", n + ": data must be base64 (no data: prefix), at most 5 MiB of it");
                return b;
            }
            b.request.images.push_back(std::move(a));
        }
    }
    return b;
}

void registerRoutes(Context& ctx, std::shared_ptr<SessionManager> manager) {
    auto add = [&](Method method, const char* path, Permission permission, bool streams, auto fn) {
        RouteSpec spec;
        spec.method = method;
        spec.path = path;
        spec.role = Role::Workspace;
        spec.gate = Gate::Owner;
        spec.permission = permission;
        spec.streams = streams;
        spec.handler = [manager, fn](const Request& req, Response& res) { fn(*manager, req, res); };
        ctx.route(std::move(spec));
    };
    add(Method::Get, "/api/agents", Permission::Chat, false, [](SessionManager& m, const Request&, Response& res) {
        res.json(200, agentsJson(m.backends()));
    });
    add(Method::Post, "/api/chat", Permission::ChatWrite, true, chat);
    add(Method::Post, "/api/chat/:id/cancel", Permission::ChatWrite, false, cancel);
    add(Method::Post, "/api/chat/:id/permissions/:requestId", Permission::ChatWrite, false, answerPrompt);
    add(Method::Post, "/api/chat/:id/interrupt", Permission::ChatWrite, false, interruptTurn);
    add(Method::Get, "/api/chat/sessions", Permission::Chat, false, sessions);
    add(Method::Get, "/api/chat/sessions/:id", Permission::Chat, false, session);
}

} // namespace wildws::agent
