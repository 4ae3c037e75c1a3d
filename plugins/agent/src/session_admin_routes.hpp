// The owner's housekeeping of stored conversations on `wildws serve`:
//   PATCH  /api/chat/sessions/:id  (chatWrite)  {"title": "..."} -> the session's list entry
//   DELETE /api/chat/sessions/:id  (chatWrite)  -> {"id", "deleted": true}
// Search (GET /api/chat/sessions?q=TEXT) is the list route's (routes.cpp),
// backed by searchConversations (conversation_admin.hpp).
// A running conversation is not deleted (409 session-busy: stop it first), so
// a turn never writes into a transcript that is gone; renaming it is fine.
#pragma once

#include "session_manager.hpp"

#include <wildws/context.hpp>

#include <memory>

namespace wildws::agent {

void registerSessionAdminRoutes(Context& ctx, std::shared_ptr<SessionManager> manager);

} // namespace wildws::agent
