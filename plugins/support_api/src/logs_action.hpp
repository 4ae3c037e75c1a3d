// The tier-1 `logs` support action: {channel, lines?} -> the last `lines`
// (1..1000, default 200) lines of logs/<channel>.log, every secret value
// replaced by "[redacted]". A channel that is not the name of an existing
// log is refused by the validator (400 naming `channel`).
#pragma once

#include "plugin_state.hpp"

#include <memory>

namespace wildws::support {

constexpr int kDefaultLogLines = 200;
constexpr int kMaxLogLines = 1000;

std::optional<std::string> validateLogsArgs(const std::string& logsDir, const std::string& argsJson);

void registerLogsAction(Context& ctx, std::shared_ptr<PluginState> state);

} // namespace wildws::support
