// The log files support may read: <home>/logs/<channel>.log (spdlog
// rotation adds <channel>.1.log, ...). A channel is valid only when it is the
// name of a regular file that is there right now, so "../secrets.json",
// "/etc/passwd", "" or a symlink planted in logs/ never name anything else.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace wildws::support {

/// The channel names present in `logsDir`, sorted.
std::vector<std::string> logChannels(const std::string& logsDir);

/// nullopt when `channel` names an existing log; else the 400 message.
std::optional<std::string> checkChannel(const std::string& logsDir, const std::string& channel);

struct Tail {
    std::vector<std::string> lines; // oldest first
    bool truncated = false;         // the byte cap was reached before `n` lines
};

/// The last `n` lines of `file`, reading backwards from its end (at most
/// `maxBytes`), so the cost depends on n, not on the file's size.
Tail tailFile(const std::string& file, std::size_t n, std::size_t maxBytes = 4u << 20);

struct LogLine {
    std::string channel;
    std::string line;
};

/// The newest error and critical lines of every current log (not the rotated
/// ones), at most `perChannel` each and `total` overall, newest channel files first.
std::vector<LogLine> recentErrors(const std::string& logsDir, std::size_t perChannel, std::size_t total);

} // namespace wildws::support
