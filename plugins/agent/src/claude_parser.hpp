// Claude Code `-p --output-format stream-json --verbose` -> chunks.
//
//   system/init            -> (nothing; remembers session_id for resume)
//   assistant text         -> text            (subagent, parent_tool_use_id set: thinking "[subagent] ...")
//   assistant thinking     -> thinking
//   assistant tool_use     -> tool-use {name, input}   (server_tool_use too)
//   assistant with "error" -> error {the message text or the error code}
//   user tool_result       -> tool-result {ok = !is_error, summary}
//   result success         -> usage {total_cost_usd, all tokens, duration_ms}; the final result
//   result error / is_error-> error {result | errors | subtype} + usage; also a final result
//   permission_denials     -> stderr "claude was not allowed to use: ..."
//   anything else (stream_event, rate_limit_event, control_*, other system
//   subtypes, unknown types) -> skipped; a line that is not JSON -> stderr.
// The session id is put on the first chunk after init and on the usage chunk.
#pragma once

#include <wildws/services/agent.hpp>

#include <string>

namespace wildws::agent {

class ClaudeParser : public AgentOutputParser {
public:
    void line(std::string_view line, std::vector<Chunk>& out) override;
    bool sawFinalResult() const override { return sawResult_; }
    /// The live protocol runs many turns through one parser: forget the last one.
    void newTurn() {
        sawResult_ = sawText_ = false;
        lastError_.clear();
    }
    const std::string& sessionId() const { return sessionId_; }

private:
    void stamp(std::vector<Chunk>& out, std::size_t from);
    std::string sessionId_;
    bool stamped_ = false;
    bool sawResult_ = false;
    bool sawText_ = false;
    std::string lastError_; // an API error is reported twice (assistant + result): say it once
};

} // namespace wildws::agent
