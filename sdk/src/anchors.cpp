// Key functions: every SDK interface's destructor is defined here, once, so
// its vtable and typeinfo live in libwildws-sdk.so and are shared by the host
// and every plugin (dynamic_cast and catch work across libraries).
#include <wildws/context.hpp>
#include <wildws/plugin.hpp>
#include <wildws/services/activity.hpp>
#include <wildws/services/agent.hpp>
#include <wildws/services/consent.hpp>
#include <wildws/services/host.hpp>
#include <wildws/services/relay.hpp>
#include <wildws/services/secrets.hpp>
#include <wildws/services/support_actions.hpp>

namespace wildws {
Plugin::~Plugin() = default;
Context::~Context() = default;
RegistrationError::~RegistrationError() = default;
Config::~Config() = default;
ConfigError::~ConfigError() = default;
Services::~Services() = default;
Request::~Request() = default;
Response::~Response() = default;
Stream::~Stream() = default;
Invocation::~Invocation() = default;
HostApi::~HostApi() = default;
Secrets::~Secrets() = default;
SecretsError::~SecretsError() = default;
ActivityBus::~ActivityBus() = default;
Consent::~Consent() = default;
AgentOutputParser::~AgentOutputParser() = default;
AgentBackend::~AgentBackend() = default;
AgentProtocol::~AgentProtocol() = default;
std::unique_ptr<AgentProtocol> AgentBackend::newProtocol(const AgentRequest&) const { return nullptr; }
AgentSession::~AgentSession() = default;
AgentSessions::~AgentSessions() = default;
Relay::~Relay() = default;
SupportActions::~SupportActions() = default;
} // namespace wildws
