#include "settings.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wildws::agent {
namespace {

[[noreturn]] void bad(const Config& c, const std::string& key, const std::string& value, const std::string& why) {
    throw ConfigError(c.section() + " " + key + " = '" + value + "': " + why + "; fix it in wildws.ini");
}

long long ranged(const Config& c, const std::string& key, long long fallback, long long lo, long long hi) {
    long long v = c.getInt(key, fallback);
    if (v < lo || v > hi)
        bad(c, key, std::to_string(v), "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
}

} // namespace

std::vector<std::string> parseArgList(const Config& config, const std::string& key) {
    std::vector<std::string> out;
    auto raw = config.get(key);
    if (!raw) return out;
    std::string text = config.getString(key, "");
    if (!text.empty() && text.front() == '[') {
        try {
            Poco::JSON::Parser parser;
            auto array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
            for (std::size_t i = 0; i < array->size(); ++i) {
                auto item = array->get(i);
                if (!item.isString()) bad(config, key, text, "every item of the JSON array must be a string");
                out.push_back(item.extract<std::string>());
            }
        } catch (const ConfigError&) {
            throw;
        } catch (const std::exception&) {
            bad(config, key, text, "expected a JSON array of strings, e.g. [\"--model\", \"x\"]");
        }
        return out;
    }
    std::istringstream words(text);
    for (std::string w; words >> w;) out.push_back(w);
    return out;
}

std::vector<ConfigKey> settingKeys() {
    const AgentSettings d;
    auto n = [](long long v) { return std::to_string(v); };
    auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    return {
        {"default_agent", "", "the agent used when a request names none (default: the first one detected)"},
        {"claude_path", "", "the claude executable (default: PATH, then the usual install places)"},
        {"claude_args", "", "more arguments for every claude run: a JSON array of strings, or words"},
        {"claude_build_permission_mode", d.claudeBuildPermissionMode,
         "build mode's --permission-mode: acceptEdits, bypassPermissions, default, dontAsk or plan (empty: default "
         "live, acceptEdits one-shot)"},
        {"claude_interactive", b(d.claudeInteractive), "drive claude live (stream-json, prompts asked); false: one-shot -p runs"},
        {"codex_path", "", "the codex executable (default: PATH, then the usual install places)"},
        {"codex_args", "", "more arguments for codex exec: a JSON array of strings, or words"},
        {"codex_protocol", d.codexProtocol, "auto, app-server (live, prompts asked) or exec (one-shot codex exec --json)"},
        {"command", "", "a custom agent command: a JSON array or words; a {prompt} argument is the prompt, else it goes on stdin"},
        {"command_name", d.commandName, "the custom command's name in agent lists and the page"},
        {"cwd", "", "the default working directory, absolute (default: the server's)"},
        {"scrub_env", "", "more environment variables taken out of an agent's environment: NAME or PREFIX*, comma separated"},
        {"stall_seconds", n(d.stall.count()), "a run with no output for this long is stopped"},
        {"total_seconds", n(d.total.count()), "a run never lasts longer than this"},
        {"kill_grace_ms", n(d.killGrace.count()), "how long an agent gets between SIGTERM and SIGKILL"},
        {"max_sessions", n(d.maxSessions), "agents running at once"},
        {"stderr_max_bytes", n(static_cast<long long>(d.stderrMaxBytes)), "stderr shown per run; the rest is drained"},
        {"max_line_bytes", n(static_cast<long long>(d.maxLineBytes)), "stdout lines longer than this are skipped"},
        {"detect_cache_seconds", n(d.detectCache.count()), "how long an agent detection is reused"},
        {"persist", b(d.persist), "keep sessions/<id>.jsonl for chat and CLI runs"},
        {"idle_seconds", n(d.idle.count()), "a live agent waits this long for the next turn, then is closed (resumed later)"},
        {"handshake_seconds", n(d.handshake.count()), "a live agent must answer its initialize within this"},
        {"permission_timeout_seconds", n(d.permissionTimeout.count()),
         "an unanswered prompt is denied after this, saying so (0: it waits until answered or stopped)"},
    };
}

AgentSettings readSettings(const Config& c) {
    AgentSettings s;
    s.defaultAgent = c.getString("default_agent", "");
    s.claudePath = c.getString("claude_path", "");
    s.claudeArgs = parseArgList(c, "claude_args");
    s.claudeBuildPermissionMode = c.getString("claude_build_permission_mode", s.claudeBuildPermissionMode);
    s.claudeInteractive = c.getBool("claude_interactive", s.claudeInteractive);
    static const char* kModes[] = {"acceptEdits", "bypassPermissions", "default", "dontAsk", "plan"};
    bool known = s.claudeBuildPermissionMode.empty();
    for (auto* m : kModes) known = known || s.claudeBuildPermissionMode == m;
    if (!known)
        bad(c, "claude_build_permission_mode", s.claudeBuildPermissionMode,
            "expected acceptEdits, bypassPermissions, default, dontAsk or plan");
    s.codexPath = c.getString("codex_path", "");
    s.codexArgs = parseArgList(c, "codex_args");
    s.codexProtocol = c.getString("codex_protocol", s.codexProtocol);
    if (s.codexProtocol != "auto" && s.codexProtocol != "app-server" && s.codexProtocol != "exec")
        bad(c, "codex_protocol", s.codexProtocol, "expected auto, app-server or exec");
    s.commandArgv = parseArgList(c, "command");
    s.commandName = c.getString("command_name", s.commandName);
    s.cwd = c.getString("cwd", "");
    if (!s.cwd.empty() && s.cwd.front() != '/') bad(c, "cwd", s.cwd, "expected an absolute directory");
    s.scrubEnv = c.getList("scrub_env");

    s.stall = std::chrono::seconds(ranged(c, "stall_seconds", s.stall.count(), 1, 7 * 24 * 3600));
    s.total = std::chrono::seconds(ranged(c, "total_seconds", s.total.count(), 1, 7 * 24 * 3600));
    s.killGrace = std::chrono::milliseconds(ranged(c, "kill_grace_ms", s.killGrace.count(), 0, 60000));
    s.maxSessions = static_cast<int>(ranged(c, "max_sessions", s.maxSessions, 1, 256));
    s.stderrMaxBytes = static_cast<std::size_t>(ranged(c, "stderr_max_bytes", static_cast<long long>(s.stderrMaxBytes), 0, 1LL << 30));
    s.maxLineBytes = static_cast<std::size_t>(ranged(c, "max_line_bytes", static_cast<long long>(s.maxLineBytes), 1024, 1LL << 30));
    s.detectCache = std::chrono::seconds(ranged(c, "detect_cache_seconds", s.detectCache.count(), 0, 86400));
    s.persist = c.getBool("persist", s.persist);
    s.idle = std::chrono::seconds(ranged(c, "idle_seconds", s.idle.count(), 1, 7 * 24 * 3600));
    s.handshake = std::chrono::seconds(ranged(c, "handshake_seconds", s.handshake.count(), 1, 3600));
    s.permissionTimeout =
        std::chrono::seconds(ranged(c, "permission_timeout_seconds", s.permissionTimeout.count(), 0, 7 * 24 * 3600));
    return s;
}

} // namespace wildws::agent
