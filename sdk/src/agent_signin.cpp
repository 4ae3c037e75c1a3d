// Key functions of the sign-in service interfaces (see anchors.cpp for why).
#include <wildws/services/agent_signin.hpp>

namespace wildws {
AgentSignin::~AgentSignin() = default;
AgentStderrReader::~AgentStderrReader() = default;
} // namespace wildws
