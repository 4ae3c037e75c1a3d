// wildws SDK - finding an agent CLI the way the built-in backends do.
//
// A backend's detect() in one line:
//     return wildws::detectAgent({"gemini", "install it with 'npm install -g @google/gemini-cli'"});
// gives `found`, `path`, `version` (the first line of `<cli> --version`, run
// without a shell under a timeout, its whole process group ended after) and,
// when not found, a `reason` in the same words as Claude's and Codex's.
//
// Blocking: detectAgent() may spawn a process and wait up to `timeout`;
// call it from a request thread, never from a tick. Thread-safe (no shared
// state). Caching is the caller's policy (the built-in backends keep a result
// for 30 s): every call searches and spawns again.
#pragma once

#include <wildws/export.hpp>
#include <wildws/services/agent.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wildws {

struct AgentProbe {
    std::string executable;  // "claude": looked for in $PATH, then in `extraDirs`
    std::string installHint; // copied to AgentDetection::installHint
    /// Where npm-style installs land besides $PATH; "~/" is the user's home,
    /// and a "/*/" part means every subdirectory, newest version first.
    std::vector<std::string> extraDirs = usualInstallDirs();
    /// A configured path: used instead of the search, and explained when it
    /// cannot run ("<configKey> = <path>: No such file or directory").
    std::string configuredPath;
    std::string configKey;   // "[plugin.agent] claude_path"
    bool probeVersion = true;
    /// The environment of `--version`; empty: ours without WILD_WORKSPACE_*
    /// and WILDWS_* (never a wildws secret in a child).
    std::vector<std::string> env;
    std::chrono::milliseconds timeout{5000};

    AgentProbe() = default;
    AgentProbe(std::string exe, std::string hint = {}) : executable(std::move(exe)), installHint(std::move(hint)) {}

    /// ~/.local/bin, ~/.npm-global/bin, ~/.volta/bin, ~/.bun/bin, every nvm
    /// node version's bin, /usr/local/bin, /opt/homebrew/bin.
    WILDWS_EXPORT static std::vector<std::string> usualInstallDirs();
};

/// The detection: a configured path, else the search; then the version.
WILDWS_EXPORT AgentDetection detectAgent(const AgentProbe& probe);

/// An executable regular file called `name` in $PATH, then in `extraDirs`
/// (as in AgentProbe); nullopt when none.
WILDWS_EXPORT std::optional<std::string> findExecutable(const std::string& name,
                                                       const std::vector<std::string>& extraDirs);

/// Why `path` cannot be run ("is not an absolute path", "No such file or
/// directory", "is not a regular file", "is not executable"), or nullopt.
WILDWS_EXPORT std::optional<std::string> notRunnable(const std::string& path);

} // namespace wildws
