#include "decision_body.hpp"

#include "json_util.hpp"

namespace wildws::support {
namespace {

DecisionBody bad(std::string message) {
    DecisionBody b;
    b.code = "bad-decision";
    b.message = std::move(message);
    return b;
}

} // namespace

DecisionBody parseDecisionBody(const std::string& text) {
    auto o = parseObject(text);
    if (!o) {
        DecisionBody b;
        b.code = "bad-json";
        b.message = "the body must be a JSON object: {\"decision\": \"allow\"|\"deny\", \"scope\": \"once\"|\"session\"}";
        return b;
    }
    DecisionBody b;
    auto decision = o->get("decision");
    if (!decision.isString() || (decision.toString() != "allow" && decision.toString() != "deny"))
        return bad("decision must be \"allow\" or \"deny\"");
    b.decision.decision = decision.toString();
    auto scope = o->get("scope");
    if (!scope.isEmpty()) {
        if (!scope.isString() || (scope.toString() != "once" && scope.toString() != "session"))
            return bad("scope must be \"once\" or \"session\"");
        b.decision.scope = scope.toString();
    }
    auto message = o->get("message");
    if (!message.isEmpty() && !message.isString()) return bad("message must be a string");
    if (message.isString()) b.decision.message = message.toString();
    if (b.decision.message.size() > 4000) return bad("message is at most 4000 bytes");
    auto answers = o->get("answers");
    if (!answers.isEmpty()) {
        if (answers.type() != typeid(Poco::JSON::Object::Ptr)) return bad("answers must be an object {\"<question>\": \"<label>\"}");
        auto a = answers.extract<Poco::JSON::Object::Ptr>();
        for (auto& [k, v] : *a)
            if (!v.isString()) return bad("each answer must be a string");
        b.decision.answersJson = toText(a);
    }
    b.decision.by = "owner";
    return b;
}

} // namespace wildws::support
