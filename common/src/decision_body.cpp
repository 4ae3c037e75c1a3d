#include <wildws/common/decision_body.hpp>

#include <wildws/common/json.hpp>

namespace wildws::common {
namespace {

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
        b.decision.answersJson = json::toText(answers);
    }
    b.decision.by = "owner";
    return b;
}

} // namespace wildws::common
