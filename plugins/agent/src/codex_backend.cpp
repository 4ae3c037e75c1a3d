#include "backends.hpp"

#include "child_env.hpp"
#include "codex_app_protocol.hpp"
#include "codex_parser.hpp"

#include <wildws/process.hpp>

#include <stdexcept>

namespace wildws::agent {

CodexBackend::CodexBackend(AgentSettings s) : s_(std::move(s)), cache_(s_.detectCache), appServer_(s_.detectCache) {}

bool CodexBackend::usesAppServer() const {
    if (s_.codexProtocol == "exec") return false;
    if (s_.codexProtocol == "app-server") return true;
    return appServer_
        .get([this] {
            AgentDetection d;
            auto where = locate();
            if (!where.found) return d;
            // An older codex takes "app-server" for a prompt and prints its
            // top-level help: only the subcommand's own usage counts.
            try {
                SpawnOptions o;
                o.argv = {where.path, "app-server", "--help"};
                o.env = childEnvironment({}, scrubPatterns(s_.scrubEnv));
                auto help = runToEnd(o, std::chrono::seconds(10), {}, 65536);
                d.found = !help.timedOut && help.status.value() == 0 &&
                          help.out.find("Usage: codex app-server") != std::string::npos;
            } catch (const std::exception&) {
                d.found = false; // cannot start it: the exec protocol is the fallback
            }
            return d;
        })
        .found;
}

std::string codexTrustHint() {
    return "codex works only inside a git repository or a directory it trusts: run 'git init' in the working "
           "directory, mark it trusted in ~/.codex/config.toml ([projects.\"<dir>\"] trust_level = \"trusted\"), or "
           "add --skip-git-repo-check to [plugin.agent] codex_args";
}

std::string CodexBackend::adviseOnStderr(const std::string& text) const {
    if (text.find("Not inside a trusted directory") == std::string::npos) return {};
    return codexTrustHint();
}

AgentCapabilities CodexBackend::capabilities() const {
    AgentCapabilities c;
    if (!usesAppServer()) return c;
    c.interactive = c.permissions = c.interrupt = c.followUp = true;
    return c;
}

std::unique_ptr<AgentProtocol> CodexBackend::newProtocol(const AgentRequest& request) const {
    if (!usesAppServer()) return nullptr;
    return std::make_unique<CodexAppProtocol>(request);
}

std::string CodexBackend::protocolName(const AgentDetection& found) const {
    if (!found.found) return "one-shot";
    if (usesAppServer()) return "app-server (live)";
    return s_.codexProtocol == "exec" ? "exec --json (one-shot, codex_protocol = exec)"
                                      : "exec --json (one-shot; this codex has no app-server)";
}

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
    if (usesAppServer()) {
        // The thread's cwd, sandbox and approval policy go in thread/start.
        l.argv = {found.path, "app-server"};
        return l;
    }
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
