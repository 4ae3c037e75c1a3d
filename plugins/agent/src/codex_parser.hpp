// Codex `codex exec --json` (JSONL, codex-rs/exec/src/exec_events.rs) -> chunks.
//
//   thread.started{thread_id}             -> (nothing; remembers the id for resume)
//   item.started  command_execution       -> tool-use {name "shell", input {command}}
//                 mcp_tool_call           -> tool-use {name "server.tool", input arguments}
//                 web_search              -> tool-use {name "web_search", input {query}}
//   item.completed agent_message          -> text
//                  reasoning              -> thinking
//                  plan / todo_list       -> thinking (the plan as text / "[x] step" lines)
//                  command_execution      -> (tool-use if no start was seen) + tool-result
//                                            {ok = completed && exit 0, summary = output}
//                  file_change            -> tool-use {name "file_change", input {changes}} + tool-result
//                  mcp_tool_call          -> tool-result {ok = completed, summary = text content | error}
//                  web_search             -> tool-result {ok, summary = query}
//                  error (non-fatal)      -> stderr "codex: message"
//   turn.completed{usage}                 -> usage {tokens = input + output, durationMs since turn.started}; the final result
//   turn.failed{error}                    -> error {message}; also a final result
//   error{message}                        -> error
//   turn.started, item.updated, item.plan.delta, request_user_input, unknown -> skipped
//   a line that is not JSON               -> stderr
#pragma once

#include <wildws/services/agent.hpp>

#include <chrono>
#include <set>
#include <string>

namespace wildws::agent {

class CodexParser : public AgentOutputParser {
public:
    void line(std::string_view line, std::vector<Chunk>& out) override;
    bool sawFinalResult() const override { return sawResult_; }

private:
    std::string threadId_;
    bool stamped_ = false;
    bool sawResult_ = false;
    std::set<std::string> started_; // item ids whose tool-use was emitted
    std::chrono::steady_clock::time_point turnStart_ = std::chrono::steady_clock::now();
};

} // namespace wildws::agent
