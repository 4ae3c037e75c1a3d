#include "prompt_routes.hpp"

#include <wildws/common/decision_body.hpp>
#include <wildws/common/json.hpp>

#include <chrono>
#include <thread>

namespace wildws::agent {
namespace {

using std::chrono::milliseconds;

} // namespace

void answerPrompt(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    std::string requestId = req.param("requestId").value_or("");
    auto body = common::parseDecisionBody(req.body());
    if (!body.code.empty()) return res.error(400, body.code, body.message);
    if (!ConversationStore::validId(id) || (!m.store().exists(id) && !m.live(id)))
        return res.error(404, "unknown-session", "no session '" + id + "'");
    auto run = m.live(id);
    RespondResult r = run ? run->respond(requestId, body.decision) : RespondResult::UnknownRequest;
    switch (r) {
    case RespondResult::UnknownRequest:
        return res.error(404, "unknown-request",
                         "session '" + id + "' has no prompt '" + requestId + "' waiting (its turn may have ended)");
    case RespondResult::AlreadyAnswered:
        return res.error(409, "already-answered", "prompt '" + requestId + "' was already answered");
    case RespondResult::BadDecision:
        return res.error(400, "bad-decision",
                         "this prompt is a question: allow needs \"answers\": {\"<question>\": \"<label>\"}");
    case RespondResult::Ok: break;
    }
    auto o = json::object();
    o->set("requestId", requestId);
    o->set("decision", body.decision.decision);
    o->set("scope", body.decision.scope);
    res.json(200, json::toText(o));
}

void interruptTurn(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    if (!ConversationStore::validId(id)) return res.error(404, "unknown-session", "no session '" + id + "'");
    auto run = m.live(id);
    if (!run || run->finished()) {
        if (run || m.store().exists(id)) return res.error(409, "not-running", "session '" + id + "' has no turn running");
        return res.error(404, "unknown-session", "no session '" + id + "'");
    }
    bool interrupted = run->interrupt();
    if (!interrupted) run->cancel("stopped by the owner");
    // Answer once the turn has ended, so a 200 means stopped.
    auto deadline = std::chrono::steady_clock::now() + m.settings().killGrace + std::chrono::seconds(12);
    while (!run->finished() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(milliseconds(10));
    auto o = json::object();
    o->set("sessionId", id);
    o->set("interrupted", interrupted);
    o->set("stopped", run->finished());
    res.json(200, json::toText(o));
}

} // namespace wildws::agent
