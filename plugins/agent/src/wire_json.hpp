// JSON documents this plugin answers with (built with Poco::JSON, never by
// concatenation), shared by the HTTP routes and the CLI's --json.
#pragma once

#include "conversation_store.hpp"
#include "session_manager.hpp"

#include <wildws/services/agent.hpp>

#include <string>
#include <vector>

namespace wildws::agent {

/// {"agents":[{id,name,found,path,version,reason,installHint,canResume,default}],"default":id|null}
std::string agentsJson(const std::vector<BackendRow>& rows);

/// The `start` chunk as sent to a chat client: toJson(start) plus
/// "resumed" and, when a follow-up could not resume, "notice".
std::string startLineJson(const Chunk& start, bool resumed, const std::string& notice);

/// One conversation's meta, plus whether a turn is running now.
std::string metaJson(const ConversationMeta& meta, bool running, const char* type = nullptr);

/// {"sessions":[meta...]}
std::string sessionsJson(const std::vector<ConversationMeta>& metas, const std::vector<bool>& running);

} // namespace wildws::agent
