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
/// "resumed", "live" (the turn went into the running agent) and, when a
/// follow-up could not resume, "notice".
std::string startLineJson(const Chunk& start, bool resumed, const std::string& notice, bool live = false);

/// What is happening to a conversation right now.
struct LiveState {
    bool running = false;       // a turn runs
    bool live = false;          // its agent process is up (running or idle)
    std::vector<Chunk> pending; // unanswered prompts of the running turn
};

/// One conversation's meta plus running, live, waiting (prompts wait for
/// the owner) and, when `withPending`, "pending": [the prompt chunks].
std::string metaJson(const ConversationMeta& meta, const LiveState& state, const char* type = nullptr,
                     bool withPending = false);

/// {"sessions":[meta...]}
std::string sessionsJson(const std::vector<ConversationMeta>& metas, const std::vector<LiveState>& states);

} // namespace wildws::agent
