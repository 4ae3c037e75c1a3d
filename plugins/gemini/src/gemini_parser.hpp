// gemini-cli's `--output-format stream-json` (one JSON object per stdout
// line) turned into wildws chunks; its stderr is read too, for the failures
// gemini reports nowhere else (no sign-in: exit 41; an untrusted folder:
// exit 55). The event shapes are those of gemini-cli's
// packages/core/src/output/types.ts (init, message, tool_use, tool_result,
// error, result), checked against gemini 0.61.0.
#pragma once

#include <wildws/services/agent.hpp>
#include <wildws/services/agent_signin.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wildws::gemini {

class GeminiParser : public AgentOutputParser, public AgentStderrReader {
public:
    void line(std::string_view line, std::vector<Chunk>& out) override;
    bool sawFinalResult() const override { return final_; }
    void stderrLine(std::string_view line, std::vector<Chunk>& out) override;

    const std::string& sessionId() const { return sessionId_; }

private:
    void stamp(std::vector<Chunk>& out, std::size_t from);

    std::string sessionId_;
    bool stamped_ = false;
    bool final_ = false;
    bool explained_ = false; // a stderr failure was already turned into an error
};

/// The one line for gemini's "no auth method" failure: what to do.
std::string notSignedInLine();

} // namespace wildws::gemini
