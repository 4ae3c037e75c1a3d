#include "detect.hpp"

#include <wildws/agent_detect.hpp>

namespace wildws::gemini {
namespace {

AgentProbe probeFor(const GeminiSettings& s, bool version) {
    AgentProbe p{"gemini", "install Gemini CLI with 'npm install -g @google/gemini-cli', or set [plugin.gemini] gemini_path"};
    p.configuredPath = s.geminiPath;
    p.configKey = "[plugin.gemini] gemini_path";
    p.probeVersion = version;
    p.timeout = std::chrono::seconds(10); // a Node CLI on a busy machine
    return p;
}

} // namespace

AgentDetection locateGemini(const GeminiSettings& s) { return detectAgent(probeFor(s, false)); }

AgentDetection detectGemini(const GeminiSettings& s) { return detectAgent(probeFor(s, true)); }

} // namespace wildws::gemini
