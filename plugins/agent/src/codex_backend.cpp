#include "backends.hpp"

#include "child_env.hpp"
#include "codex_parser.hpp"

#include <stdexcept>

namespace wildws::agent {

CodexBackend::CodexBackend(AgentSettings s) : s_(std::move(s)), cache_(s_.detectCache) {}

ProbeSpec CodexBackend::spec() const {
    ProbeSpec p;
    p.displayName = displayName();
    p.configuredPath = s_.codexPath;
    p.configKey = "codex_path";
    p.executable = "codex";
    p.extraDirs = {"~/.local/bin", "~/.npm-global/bin", "~/.volta/bin", "~/.bun/bin",
                   "~/.nvm/versions/node/*/bin", "/usr/local/bin", "/opt/homebrew/bin"};
    p.installHint = "install Codex with 'npm install -g @openai/codex', run 'codex login', or set "
                    "[plugin.agent] codex_path";
    return p;
}

AgentDetection CodexBackend::detect() const {
    return cache_.get([this] { return probe(spec(), childEnvironment({}, scrubPatterns(s_.scrubEnv))); });
}

AgentDetection CodexBackend::locate() const {
    ProbeSpec p = spec();
    p.probeVersion = false;
    return probe(p, {});
}

AgentLaunch CodexBackend::launch(const AgentRequest& r, const AgentDetection& found) const {
    AgentLaunch l;
    l.argv = {found.path, "exec", "--json", "--sandbox",
              r.mode == AgentMode::Plan ? std::string("read-only") : std::string("workspace-write")};
    l.argv.insert(l.argv.end(), s_.codexArgs.begin(), s_.codexArgs.end());
    if (!r.resumeId.empty()) {
        if (!plainId(r.resumeId)) throw std::runtime_error("the conversation id to resume is malformed");
        l.argv.push_back("resume");
        l.argv.push_back(r.resumeId);
    }
    l.argv.push_back("-"); // the prompt is read from stdin
    // codex exec has no system-prompt flag: extra instructions lead the prompt.
    l.stdinText = r.appendSystemPrompt.empty() ? r.prompt : r.appendSystemPrompt + "\n\n" + r.prompt;
    return l;
}

std::unique_ptr<AgentOutputParser> CodexBackend::newParser() const { return std::make_unique<CodexParser>(); }

} // namespace wildws::agent
