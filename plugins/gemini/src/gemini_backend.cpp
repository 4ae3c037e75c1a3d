#include "gemini_backend.hpp"

#include "gemini_parser.hpp"

#include <cctype>
#include <stdexcept>

namespace wildws::gemini {

bool plainId(const std::string& id) {
    if (id.empty() || id.size() > 200 || id[0] == '-') return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    return true;
}

AgentDetection GeminiBackend::detect() const {
    return cache_.get([this] { return detectGemini(s_); });
}

AgentLaunch GeminiBackend::launch(const AgentRequest& r, const AgentDetection& found) const {
    if (found.path.empty() || found.path[0] != '/') throw std::runtime_error("the gemini executable was not found");
    AgentLaunch l;
    l.argv = {found.path, "--output-format", "stream-json", "--approval-mode",
              r.mode == AgentMode::Plan ? std::string("plan") : s_.buildApprovalMode};
    if (s_.skipTrust) l.argv.push_back("--skip-trust");
    if (!r.resumeId.empty()) {
        if (!plainId(r.resumeId)) throw std::runtime_error("the conversation id to resume is malformed");
        l.argv.push_back("--resume");
        l.argv.push_back(r.resumeId);
    }
    l.argv.insert(l.argv.end(), s_.geminiArgs.begin(), s_.geminiArgs.end());
    l.argv.push_back("-p");
    l.argv.push_back("");
    // gemini has no system-prompt flag that adds to its own (GEMINI_SYSTEM_MD
    // replaces it): extra instructions lead the prompt, as for codex.
    l.stdinText = r.appendSystemPrompt.empty() ? r.prompt : r.appendSystemPrompt + "\n\n" + r.prompt;
    return l;
}

std::unique_ptr<AgentOutputParser> GeminiBackend::newParser() const { return std::make_unique<GeminiParser>(); }

} // namespace wildws::gemini
