// [plugin.agent] configuration, read once at setup and validated there, so a
// typo in wildws.ini fails the plugin's setup with a message naming the key.
#pragma once

#include <wildws/config.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace wildws::agent {

struct AgentSettings {
    std::string defaultAgent;                 // default_agent: overrides "first detected"
    std::string claudePath;                   // claude_path: skip the PATH search
    std::vector<std::string> claudeArgs;      // claude_args: appended to every run
    std::string claudeBuildPermissionMode;    // claude_build_permission_mode ("": default live, acceptEdits one-shot)
    bool claudeInteractive = true;            // claude_interactive: the live stream-json protocol
    std::string codexPath;                    // codex_path
    std::vector<std::string> codexArgs;       // codex_args (codex exec only)
    std::string codexProtocol = "auto";       // codex_protocol: auto | app-server | exec
    std::vector<std::string> commandArgv;     // command: ["/abs/cli", "--flag", "{prompt}"]
    std::string commandName = "Custom command"; // command_name
    std::string cwd;                          // cwd: default working directory ("" = the server's)
    std::vector<std::string> scrubEnv;        // scrub_env: extra variable names (NAME or PREFIX*)

    std::chrono::seconds stall{300};          // stall_seconds: no output for this long ends the run
    std::chrono::seconds total{3600};         // total_seconds: a run never lasts longer
    std::chrono::milliseconds killGrace{1500};// kill_grace_ms: SIGTERM .. SIGKILL
    int maxSessions = 4;                      // max_sessions: concurrently running agents
    std::size_t stderrMaxBytes = 1 << 20;     // stderr_max_bytes: shown per run; the rest is drained
    std::size_t maxLineBytes = 16 << 20;      // max_line_bytes: longer stdout lines are skipped
    std::chrono::seconds detectCache{30};     // detect_cache_seconds
    bool persist = true;                      // persist: keep sessions/<id>.jsonl for chat and CLI runs
    std::chrono::seconds idle{600};           // idle_seconds: a live agent waits this long for the next turn
    std::chrono::seconds handshake{60};       // handshake_seconds: the agent must answer initialize within
    std::chrono::seconds permissionTimeout{0};// permission_timeout_seconds: 0 = a prompt waits for ever
};

/// Every key readSettings() reads, with its default (from AgentSettings{})
/// and one line of help: PluginInfo::configKeys, so the host warns about a
/// typo and `wildws config check` shows the defaults.
std::vector<ConfigKey> settingKeys();

/// Reads and checks every key; throws ConfigError naming the key.
AgentSettings readSettings(const Config& config);

/// An argument list from config: a JSON array of strings, or words split on
/// whitespace. Throws ConfigError naming `key` when the JSON is malformed.
std::vector<std::string> parseArgList(const Config& config, const std::string& key);

} // namespace wildws::agent
