// The tier-4 `shell` support action: {command, cwd?, timeoutS?}.
//   /bin/sh -c <command> in a new process group (wildws::ChildProcess), in the
//   user's home directory unless cwd says otherwise; stdout and stderr are
//   streamed as NDJSON lines as they come ({"type":"stdout"|"stderr","text"});
//   at most 1 MiB of output, then one {"type":"truncated"} line (the rest is
//   read and dropped, so the command never blocks on a full pipe); timeout
//   120 s by default, 600 s at most. The group is killed (SIGTERM, then
//   SIGKILL 500 ms later) on timeout, revoke, expiry or when the operator
//   disconnects; once the shell itself exits, whatever it left running in its
//   group is killed too. The last line is {"type":"end","code","reason",
//   "truncated","durationMs"}. The command text is audited by the authorize
//   step (the daemon route puts the args in the audit detail); the outcome is
//   audited as "shell-end". A command too long for the audit to hold whole
//   (args over 1800 bytes as JSON) is refused.
#pragma once

#include "plugin_state.hpp"

#include <wildws/process.hpp>

#include <memory>
#include <optional>
#include <string>

namespace wildws::support {

constexpr std::size_t kShellOutputCap = 1u << 20;
constexpr int kShellDefaultTimeoutS = 120;
constexpr int kShellMaxTimeoutS = 600;

struct ShellArgs {
    std::string command;
    std::string cwd;      // "" = the user's home
    int timeoutS = kShellDefaultTimeoutS;
};

/// nullopt when fine, else one line naming the field.
std::optional<std::string> validateShellArgs(const std::string& argsJson);
ShellArgs readShellArgs(const std::string& argsJson);

/// How the shell action starts `command`: /bin/sh -c in `cwd` (empty: ours),
/// stdin /dev/null, stdout and stderr on pipes, our environment without the
/// wildws secrets (/proc/<pid>/environ is readable by the user's processes).
SpawnOptions shellSpawnOptions(const std::string& command, const std::string& cwd);

/// $HOME, else the password database's home, else "/".
std::string userHome();

void registerShellAction(Context& ctx, std::shared_ptr<PluginState> state);

} // namespace wildws::support
