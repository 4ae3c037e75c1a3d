#include "prompt_routes.hpp"

#include "json_util.hpp"

#include <chrono>
#include <thread>

namespace wildws::agent {
namespace {

using std::chrono::milliseconds;

DecisionBody badDecision(std::string message) {
    DecisionBody b;
    b.code = "bad-decision";
    b.message = std::move(message);
    return b;
}

} // namespace

DecisionBody parseDecisionBody(const std::string& text) {
    auto o = json::parseObject(text);
    if (!o) {
        DecisionBody b;
        b.code = "bad-json";
        b.message = "the body must be a JSON object: {\"decision\": \"allow\"|\"deny\", \"scope\": \"once\"|\"session\"}";
        return b;
    }
    DecisionBody b;
    auto decision = o->get("decision");
    if (!decision.isString() || (decision.extract<std::string>() != "allow" && decision.extract<std::string>() != "deny"))
        return badDecision("decision must be \"allow\" or \"deny\"");
    b.decision.decision = decision.extract<std::string>();
    auto scope = o->get("scope");
    if (!scope.isEmpty()) {
        if (!scope.isString() || (scope.extract<std::string>() != "once" && scope.extract<std::string>() != "session"))
            return badDecision("scope must be \"once\" or \"session\"");
        b.decision.scope = scope.extract<std::string>();
    }
    auto message = o->get("message");
    if (!message.isEmpty() && !message.isString()) return badDecision("message must be a string");
    if (message.isString()) b.decision.message = message.extract<std::string>();
    if (b.decision.message.size() > 4000) return badDecision("message is at most 4000 bytes");
    auto answers = o->get("answers");
    if (!answers.isEmpty()) {
        if (answers.type() != typeid(Poco::JSON::Object::Ptr))
            return badDecision("answers must be an object {\"<question>\": \"<label>\"}");
        auto a = answers.extract<Poco::JSON::Object::Ptr>();
        for (auto& [k, v] : *a)
            if (!v.isString()) return badDecision("each answer must be a string (several labels: join them with \", \")");
        b.decision.answersJson = json::stringify(answers);
    }
    b.decision.by = "owner";
    return b;
}

void answerPrompt(SessionManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    std::string requestId = req.param("requestId").value_or("");
    auto body = parseDecisionBody(req.body());
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
    res.json(200, json::stringify(o));
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
    res.json(200, json::stringify(o));
}

} // namespace wildws::agent
