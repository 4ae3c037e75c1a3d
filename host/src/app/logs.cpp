#include "app/logs.hpp"

#include "app/log_sinks.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace wildws::host {

namespace {
constexpr std::size_t kMaxFileBytes = 5 * 1024 * 1024;
constexpr std::size_t kKeptFiles = 3;
} // namespace

Logs::Logs(std::string dir, spdlog::level::level_enum stderrLevel, spdlog::level::level_enum fileLevel, bool files)
    : dir_(std::move(dir)), stderrLevel_(stderrLevel), fileLevel_(fileLevel), files_(files) {
    // Nothing is created here: file sinks open on their first line.
    stderrSink_ = std::make_shared<EscapingSink>(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    stderrSink_->set_level(stderrLevel_);
    stderrSink_->set_pattern("wildws: [%l] [%n] %v");
}

Logs::~Logs() {
    std::lock_guard lock(mutex_);
    for (auto& [name, logger] : loggers_) {
        logger->flush();
        spdlog::drop(name);
    }
    loggers_.clear();
}

std::shared_ptr<spdlog::logger> Logs::channel(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (auto it = loggers_.find(name); it != loggers_.end()) return it->second;
    std::vector<spdlog::sink_ptr> sinks{stderrSink_};
    if (files_) {
        auto stderrSink = stderrSink_;
        auto file = std::make_shared<SafeFileSink>(dir_, name, kMaxFileBytes, kKeptFiles, [stderrSink, name](const std::string& line) {
            stderrSink->log(spdlog::details::log_msg(name, spdlog::level::warn, line));
        });
        file->set_formatter(
            std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ [%l] [%n] %v", spdlog::pattern_time_type::utc));
        auto escaped = std::make_shared<EscapingSink>(file);
        escaped->set_level(fileLevel_);
        sinks.push_back(escaped);
    }
    auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
    logger->set_level(files_ ? std::min(stderrLevel_, fileLevel_) : stderrLevel_);
    logger->flush_on(spdlog::level::info);
    spdlog::register_logger(logger);
    loggers_[name] = logger;
    return logger;
}

std::optional<spdlog::level::level_enum> Logs::parseLevel(const std::string& name) {
    for (int l = spdlog::level::trace; l <= spdlog::level::off; ++l) {
        auto lvl = static_cast<spdlog::level::level_enum>(l);
        if (spdlog::level::to_string_view(lvl) == name) return lvl;
    }
    if (name == "warn" || name == "warning") return spdlog::level::warn;
    if (name == "error") return spdlog::level::err;
    return std::nullopt;
}

} // namespace wildws::host
