// The chat API on `wildws serve` (owner only):
//   GET  /api/agents                  (chat)       the backends, as `agent list --json`
//   POST /api/chat                    (chatWrite)  {prompt, agent?, mode?, cwd?, sessionId?} -> NDJSON chunks;
//                                                  the first line is `start` with the session id
//   POST /api/chat/:id/cancel         (chatWrite)  stops the running turn (SIGTERM, then SIGKILL)
//   GET  /api/chat/sessions           (chat)       {"sessions":[...]} newest first (?limit=N, default 100)
//   GET  /api/chat/sessions/:id       (chat)       NDJSON: {"type":"session",...} then the stored lines
// Rename/delete (session_admin_routes.hpp), search (?q=, conversation_admin.hpp), GET /api/files (files_route.hpp).
#pragma once

#include "session_manager.hpp"

#include <wildws/context.hpp>

#include <memory>

namespace wildws::agent {

void registerRoutes(Context& ctx, std::shared_ptr<SessionManager> manager);

/// The body of POST /api/chat, checked. On failure `status`/`code`/`message`
/// say why (400).
struct ChatBody {
    AgentRequest request;
    std::string agent;
    std::string sessionId;
    int status = 0;
    std::string code, message;
};
ChatBody parseChatBody(const std::string& body);

} // namespace wildws::agent
