// `wildws agent list` and `wildws agent run`.
#pragma once

#include "session_manager.hpp"

#include <wildws/context.hpp>

#include <memory>

namespace wildws::agent {

void registerCommands(Context& ctx, std::shared_ptr<SessionManager> manager);

} // namespace wildws::agent
