// The Gemini CLI backend ("gemini"): `gemini --output-format stream-json
// --approval-mode plan|<build mode> [--skip-trust] [--resume ID]
// <gemini_args> -p ""`, the prompt on stdin (gemini appends -p's text to
// stdin's; an empty -p keeps it headless and keeps the prompt out of argv).
#pragma once

#include "detect.hpp"
#include "settings.hpp"

#include <wildws/services/agent.hpp>

namespace wildws::gemini {

class GeminiBackend : public AgentBackend {
public:
    explicit GeminiBackend(GeminiSettings s) : s_(std::move(s)), cache_(s_.detectCache) {}
    std::string id() const override { return "gemini"; }
    std::string displayName() const override { return "Gemini CLI"; }
    AgentDetection detect() const override;
    bool canResume() const override { return true; }
    AgentLaunch launch(const AgentRequest& request, const AgentDetection& found) const override;
    std::unique_ptr<AgentOutputParser> newParser() const override;

private:
    GeminiSettings s_;
    DetectionCache cache_;
};

/// gemini session ids are UUIDs: only plain ids go into argv.
bool plainId(const std::string& id);

} // namespace wildws::gemini
