// The generic `command` backend's output: every stdout line is a text chunk
// (with its newline, so the chunks concatenate back to the output). A plain
// CLI has no final result event: its exit code decides success.
#pragma once

#include <wildws/services/agent.hpp>

namespace wildws::agent {

class CommandParser : public AgentOutputParser {
public:
    void line(std::string_view line, std::vector<Chunk>& out) override;
    bool sawFinalResult() const override { return true; }
};

} // namespace wildws::agent
