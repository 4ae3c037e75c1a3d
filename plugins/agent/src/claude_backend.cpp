#include "backends.hpp"

#include "child_env.hpp"
#include "claude_parser.hpp"
#include "claude_protocol.hpp"

#include <cctype>
#include <stdexcept>

namespace wildws::agent {

bool plainId(const std::string& id) {
    if (id.empty() || id.size() > 200) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return id[0] != '-' && id[0] != '.';
}

ClaudeBackend::ClaudeBackend(AgentSettings s) : s_(std::move(s)), cache_(s_.detectCache) {}

ProbeSpec ClaudeBackend::spec() const {
    ProbeSpec p;
    p.displayName = displayName();
    p.configuredPath = s_.claudePath;
    p.configKey = "claude_path";
    p.executable = "claude";
    p.extraDirs = {"~/.claude/local", "~/.local/bin", "~/.npm-global/bin", "~/.volta/bin", "~/.bun/bin",
                   "~/.nvm/versions/node/*/bin", "/usr/local/bin", "/opt/homebrew/bin"};
    p.installHint = "install Claude Code with 'npm install -g @anthropic-ai/claude-code', run 'claude' once to "
                    "sign in, or set [plugin.agent] claude_path";
    return p;
}

AgentDetection ClaudeBackend::detect() const {
    return cache_.get([this] { return probe(spec(), childEnvironment({}, scrubPatterns(s_.scrubEnv))); });
}

AgentDetection ClaudeBackend::locate() const {
    ProbeSpec p = spec();
    p.probeVersion = false;
    return probe(p, {});
}

AgentLaunch ClaudeBackend::launch(const AgentRequest& r, const AgentDetection& found) const {
    AgentLaunch l;
    std::string buildMode = s_.claudeBuildPermissionMode;
    if (buildMode.empty()) buildMode = s_.claudeInteractive ? "default" : "acceptEdits";
    std::string mode = r.mode == AgentMode::Plan ? std::string("plan") : buildMode;
    if (s_.claudeInteractive)
        l.argv = {found.path, "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
                  "--permission-prompt-tool", "stdio", "--permission-mode", mode};
    else
        l.argv = {found.path, "-p", "--output-format", "stream-json", "--verbose", "--permission-mode", mode};
    if (!r.appendSystemPrompt.empty()) l.argv.push_back("--append-system-prompt=" + r.appendSystemPrompt);
    if (!r.resumeId.empty()) {
        if (!plainId(r.resumeId)) throw std::runtime_error("the conversation id to resume is malformed");
        l.argv.push_back("--resume");
        l.argv.push_back(r.resumeId);
    }
    l.argv.insert(l.argv.end(), s_.claudeArgs.begin(), s_.claudeArgs.end());
    // One-shot: on stdin (no argv size limit, and a prompt starting with '-'
    // is never an option). Live: the protocol writes it as a user message.
    if (!s_.claudeInteractive) l.stdinText = r.prompt;
    return l;
}

AgentCapabilities ClaudeBackend::capabilities() const {
    AgentCapabilities c;
    if (!s_.claudeInteractive) return c;
    c.interactive = c.permissions = c.questions = c.interrupt = c.followUp = c.images = true;
    return c;
}

std::unique_ptr<AgentProtocol> ClaudeBackend::newProtocol(const AgentRequest&) const {
    if (!s_.claudeInteractive) return nullptr;
    return std::make_unique<ClaudeProtocol>();
}

std::unique_ptr<AgentOutputParser> ClaudeBackend::newParser() const { return std::make_unique<ClaudeParser>(); }

} // namespace wildws::agent
