// Signing an agent in, for the owner:
//   POST   /api/agents/:id/login       (chatWrite, streams) starts the CLI's own sign-in in a PTY:
//          NDJSON {"type":"url","url"} as soon as it prints its link, {"type":"prompt","text"} when it
//          asks for a code, {"type":"output","text"} for the rest, {"type":"end","signedIn","code"} last.
//          404 unknown-agent, 400 no-signin-command, 503 agent-not-installed, 409 signin-running /
//          port-in-use, 500 spawn-failed. The client leaving stops the sign-in.
//   POST   /api/agents/:id/login/code  (chatWrite) {"code"} -> {"agent","sent":true};
//          400 bad-json / bad-code, 404 unknown-agent, 409 no-signin
//   DELETE /api/agents/:id/login       (chatWrite) -> {"agent","stopped":true,"portsFree":bool} once
//          its whole group is gone; 404 unknown-agent, 409 no-signin
//   `wildws agent login AGENT`         the same in the terminal: the CLI's own interaction passed through
#pragma once

#include "login_session.hpp"
#include "settings.hpp"

#include <wildws/context.hpp>

#include <memory>

namespace wildws::agent {

void registerSignin(Context& ctx, std::shared_ptr<LoginManager> logins, const AgentSettings& settings);

/// The code the owner typed, checked: nullopt and `why` when unusable.
std::optional<std::string> parseCodeBody(const std::string& body, std::string& code, std::string& why);

} // namespace wildws::agent
