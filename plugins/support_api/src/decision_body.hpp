// The body of POST /api/support/operate/permissions/:requestId - the same as
// the chat route's: {"decision":"allow"|"deny","scope"?:"once"|"session",
// "message"?, "answers"?:{question: label}}. 400 bad-json / bad-decision.
#pragma once

#include <wildws/services/agent.hpp>

#include <string>

namespace wildws::support {

struct DecisionBody {
    AgentDecision decision;
    std::string code, message; // set on failure
};
DecisionBody parseDecisionBody(const std::string& body);

} // namespace wildws::support
