// GET /api/files?q=TEXT[&cwd=DIR]  (owner, chat) -> {"files":[relative paths], "cwd", "truncated"}
// The prompt box's `@` suggestions: files of the working directory (DIR, else
// [plugin.agent] cwd, else the server's), best fuzzy matches first, at most 50.
// 400 bad-cwd (not an existing absolute directory), 400 bad-query (longer
// than 200 bytes). What is listed, and why never anything outside DIR:
// workdir_files.hpp.
#pragma once

#include "session_manager.hpp"

#include <wildws/context.hpp>

#include <memory>

namespace wildws::agent {

void registerFilesRoute(Context& ctx, std::shared_ptr<SessionManager> manager);

} // namespace wildws::agent
