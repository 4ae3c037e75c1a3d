// Claude Code's bidirectional stream-json protocol (the "control protocol"
// its Agent SDKs speak), for one live `claude --input-format stream-json
// --output-format stream-json --verbose --permission-prompt-tool stdio`
// process. See shared/notes/interactive-agents.md section 1.
//
//   open()       -> control_request initialize; ready() on its control_response
//   turn()       -> {"type":"user","message":{"role":"user","content":...}}
//                   (text, plus image blocks when the request has images)
//   can_use_tool -> permission {requestId, tool, input, title, suggestions}
//                   AskUserQuestion -> question {requestId, questions}
//   respond()    -> control_response success: allow {updatedInput,
//                   updatedPermissions (scope session: the suggestions, or an
//                   addRules for the tool, with destination "session")} or
//                   deny {message, interrupt when stopping}; + permission-resolved
//   control_cancel_request -> permission-resolved by "agent"
//   interrupt()  -> control_request interrupt; the turn's result then ends
//                   it as `interrupted` (its error is not an error)
//   other control_requests from the CLI (hooks, MCP) -> an error response
//   every other line -> ClaudeParser (the one-shot mapping); `result` ends the
//                   turn: `end` completed, or failed when it showed an error.
#pragma once

#include "claude_parser.hpp"

#include <wildws/services/agent.hpp>

#include <map>
#include <string>

namespace wildws::agent {

class ClaudeProtocol : public AgentProtocol {
public:
    void open(std::vector<std::string>& writes) override;
    bool ready() const override { return ready_; }
    void line(std::string_view line, std::vector<Chunk>& chunks, std::vector<std::string>& writes) override;
    void turn(const AgentRequest& request, std::vector<Chunk>& chunks, std::vector<std::string>& writes) override;
    void respond(const std::string& requestId, const AgentDecision& decision, std::vector<Chunk>& chunks,
                 std::vector<std::string>& writes) override;
    void interrupt(std::vector<Chunk>& chunks, std::vector<std::string>& writes) override;
    std::string resumeId() const override { return parser_.sessionId(); }

private:
    struct Asked {
        std::string tool, inputJson, suggestionsJson;
        bool question = false;
    };
    void controlRequest(const std::string& id, const std::string& text, std::vector<Chunk>& chunks,
                        std::vector<std::string>& writes);
    void endTurn(std::vector<Chunk>& chunks);

    ClaudeParser parser_;
    bool ready_ = false;
    bool inTurn_ = false;
    bool interrupting_ = false;
    bool turnError_ = false;
    int nextId_ = 1;
    std::string initId_;
    std::map<std::string, Asked> asked_;
};

} // namespace wildws::agent
