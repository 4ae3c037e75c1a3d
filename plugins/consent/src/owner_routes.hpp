// serve: the owner's own view of the grant, served by the consent plugin
// itself so that the page can always show a live grant and revoke it, even
// when the support_api plugin (which serves /api/support/*) is disabled:
//   GET  /api/consent/status  (owner, chat)       the grant status (status_json.hpp)
//   POST /api/consent/revoke  (owner, chatWrite)  {"revoked": bool}; audited, actor owner
#pragma once

#include "consent_service.hpp"

#include <wildws/context.hpp>

#include <memory>

namespace wildws::consent {

void registerOwnerRoutes(Context& ctx, std::shared_ptr<ConsentService> service);

} // namespace wildws::consent
