// The host owns every log sink: one stderr sink for humans, and one rotating
// file per channel under <home>/logs/. Plugins get a channel through their
// Context and never register loggers themselves.
#pragma once

#include <spdlog/common.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace wildws::host {

class Logs {
public:
    /// `files` false: stderr only (a read-only command writes no file, even
    /// for a warning).
    Logs(std::string dir, spdlog::level::level_enum stderrLevel, spdlog::level::level_enum fileLevel,
         bool files = true);
    ~Logs();
    Logs(const Logs&) = delete;
    Logs& operator=(const Logs&) = delete;

    /// The logger of `channel` (made on first use): logs/<channel>.log + stderr.
    std::shared_ptr<spdlog::logger> channel(const std::string& name);
    const std::string& dir() const { return dir_; }

    /// "trace".."off"; nullopt when not a level name.
    static std::optional<spdlog::level::level_enum> parseLevel(const std::string& name);

private:
    std::string dir_;
    spdlog::level::level_enum stderrLevel_;
    spdlog::level::level_enum fileLevel_;
    bool files_ = true;
    spdlog::sink_ptr stderrSink_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<spdlog::logger>> loggers_;
};

} // namespace wildws::host
