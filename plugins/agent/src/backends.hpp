// The three backends this plugin ships. Each is an AgentBackend service
// ("claude", "codex", "command"); third parties add theirs the same way.
#pragma once

#include "detect.hpp"
#include "settings.hpp"

#include <wildws/services/agent.hpp>

#include <memory>

namespace wildws::agent {

/// Our backends can say where their CLI is without running `--version`
/// (a Node CLI takes ~0.5 s to print it): starting a run needs only the path.
/// Third-party backends are asked detect().
class Locatable {
public:
    virtual ~Locatable() = default;
    virtual AgentDetection locate() const = 0;
    /// How the agent is driven, for `agent list` ("stream-json", "app-server", ...).
    virtual std::string protocolName(const AgentDetection&) const { return "one-shot"; }
    /// What to tell the owner about a known refusal in the agent's stderr
    /// ("" when nothing): shown once as an error.
    virtual std::string adviseOnStderr(const std::string&) const { return {}; }
};

/// Claude Code. Live (the default): `claude -p --input-format stream-json
/// --output-format stream-json --verbose --permission-prompt-tool stdio
/// --permission-mode plan|<build mode> [--append-system-prompt=..] [--resume ID]
/// <claude_args>`, driven by ClaudeProtocol. With claude_interactive = false:
/// one-shot `claude -p --output-format stream-json --verbose ...`, the prompt
/// on stdin, read by ClaudeParser.
class ClaudeBackend : public AgentBackend, public Locatable {
public:
    explicit ClaudeBackend(AgentSettings s);
    std::string id() const override { return "claude"; }
    std::string displayName() const override { return "Claude Code"; }
    AgentDetection detect() const override;
    AgentDetection locate() const override;
    bool canResume() const override { return true; }
    AgentLaunch launch(const AgentRequest& request, const AgentDetection& found) const override;
    std::unique_ptr<AgentOutputParser> newParser() const override;
    AgentCapabilities capabilities() const override;
    std::unique_ptr<AgentProtocol> newProtocol(const AgentRequest& request) const override;
    std::string protocolName(const AgentDetection&) const override {
        return s_.claudeInteractive ? "stream-json (live)" : "print (one-shot)";
    }

private:
    ProbeSpec spec() const;
    AgentSettings s_;
    DetectionCache cache_;
};

/// Codex. Live, when the installed codex has it (`codex app-server --help`
/// names it; [plugin.agent] codex_protocol = auto): `codex app-server`,
/// driven by CodexAppProtocol. Otherwise (or codex_protocol = exec) one-shot
/// `codex exec --json --sandbox read-only|workspace-write <codex_args>
/// [resume THREAD_ID] -`, the prompt on stdin.
class CodexBackend : public AgentBackend, public Locatable {
public:
    explicit CodexBackend(AgentSettings s);
    std::string id() const override { return "codex"; }
    std::string displayName() const override { return "Codex"; }
    AgentDetection detect() const override;
    AgentDetection locate() const override;
    bool canResume() const override { return true; }
    AgentLaunch launch(const AgentRequest& request, const AgentDetection& found) const override;
    std::unique_ptr<AgentOutputParser> newParser() const override;
    AgentCapabilities capabilities() const override;
    std::unique_ptr<AgentProtocol> newProtocol(const AgentRequest& request) const override;
    std::string protocolName(const AgentDetection& found) const override;
    std::string adviseOnStderr(const std::string& text) const override;
    /// Whether this codex is driven through app-server (probed, cached).
    bool usesAppServer() const;

private:
    ProbeSpec spec() const;
    AgentSettings s_;
    DetectionCache cache_;
    DetectionCache appServer_; // found = the installed codex has app-server
};

/// Any CLI: `[plugin.agent] command = ["/abs/cli", "--flag", "{prompt}"]`.
/// An argument that is exactly {prompt} becomes the prompt, {mode} becomes
/// plan or build; with no {prompt} the prompt goes to stdin. No resume.
class CommandBackend : public AgentBackend, public Locatable {
public:
    explicit CommandBackend(AgentSettings s);
    std::string id() const override { return "command"; }
    std::string displayName() const override { return s_.commandName; }
    AgentDetection detect() const override;
    AgentDetection locate() const override { return detect(); } // no version probe anyway
    bool canResume() const override { return false; }
    AgentLaunch launch(const AgentRequest& request, const AgentDetection& found) const override;
    std::unique_ptr<AgentOutputParser> newParser() const override;

private:
    AgentSettings s_;
    DetectionCache cache_;
};

/// What to do when codex refuses an untrusted (non-git) directory.
std::string codexTrustHint();

/// A resume id goes into argv: only plain ids are accepted.
bool plainId(const std::string& id);

} // namespace wildws::agent
