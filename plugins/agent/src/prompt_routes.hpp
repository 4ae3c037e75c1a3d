// The routes that talk to a live turn (serve, owner, chatWrite):
//   POST /api/chat/:id/permissions/:requestId
//        {"decision":"allow"|"deny","scope"?:"once"|"session","message"?,"answers"?:{question: label}}
//        -> 200 {"requestId","decision","scope"}; 400 bad-json / bad-decision,
//           404 unknown-session / unknown-request, 409 already-answered
//   POST /api/chat/:id/interrupt
//        -> 200 {"sessionId","interrupted","stopped"} once the turn has ended
//           (interrupted: the agent lives on for the next turn; an agent that
//           cannot be interrupted is cancelled instead); 404 unknown-session,
//           409 not-running
#pragma once

#include "session_manager.hpp"

#include <wildws/http.hpp>

#include <string>

namespace wildws::agent {

void answerPrompt(SessionManager& m, const Request& req, Response& res);
void interruptTurn(SessionManager& m, const Request& req, Response& res);

} // namespace wildws::agent
