// The body that answers an agent's permission prompt or question, one shape
// for every route that takes it (POST /api/chat/:id/permissions/:requestId
// and POST /api/support/operate/permissions/:requestId):
// {"decision":"allow"|"deny","scope"?:"once"|"session","message"?,
//  "answers"?:{"<question>":"<label>"}}.
#pragma once

#include <wildws/services/agent.hpp>

#include <string>

namespace wildws::common {

struct DecisionBody {
    AgentDecision decision; // `by` is "owner"
    /// Set when the body is refused (HTTP 400): "bad-json" or "bad-decision".
    std::string code, message;
};

/// Checks every field's presence, type and value; never throws.
DecisionBody parseDecisionBody(const std::string& body);

} // namespace wildws::common
