// The CLI: `wildws support allow|revoke|status|audit` and
// `wildws operator enable|disable|status`. Each handler is a plain function
// of the service and the Invocation, so unit tests can run it directly.
#pragma once

#include "consent_service.hpp"

#include <wildws/command.hpp>
#include <wildws/services.hpp>
#include <wildws/services/host.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace wildws::consent {

/// The support actions the loaded plugins registered; nullopt when the
/// host's list is not available.
using ActionLister = std::function<std::optional<std::vector<SupportActionInfo>>()>;

int supportAllow(ConsentService& service, Invocation& inv, const ActionLister& actions);
int supportRevoke(ConsentService& service, Invocation& inv);
int supportStatus(ConsentService& service, Invocation& inv);
int supportAudit(ConsentService& service, Invocation& inv);
int operatorEnable(ConsentService& service, Invocation& inv);
int operatorDisable(ConsentService& service, Invocation& inv);
int operatorStatus(ConsentService& service, Invocation& inv);

/// Every command this plugin registers. `services` is read when a command
/// runs (never during setup).
std::vector<CommandSpec> commandSpecs(std::shared_ptr<ConsentService> service, Services& services);

constexpr std::size_t kMaxAuditLimit = kMaxReadLimit;
constexpr std::size_t kDefaultAuditLimit = 20;

} // namespace wildws::consent
