#include "app/logs.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <algorithm>

namespace wildws::host {

namespace {
constexpr std::size_t kMaxFileBytes = 5 * 1024 * 1024;
constexpr std::size_t kKeptFiles = 3;
} // namespace

Logs::Logs(std::string dir, spdlog::level::level_enum stderrLevel, spdlog::level::level_enum fileLevel)
    : dir_(std::move(dir)), stderrLevel_(stderrLevel), fileLevel_(fileLevel) {
    ::mkdir(dir_.c_str(), 0700);
    stderrSink_ = std::make_shared<spdlog::sinks::stderr_sink_mt>();
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
    try {
        auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(dir_ + "/" + name + ".log", kMaxFileBytes,
                                                                           kKeptFiles);
        file->set_level(fileLevel_);
        file->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ [%l] [%n] %v",
                                                                       spdlog::pattern_time_type::utc));
        sinks.push_back(file);
    } catch (const spdlog::spdlog_ex& e) {
        stderrSink_->log(spdlog::details::log_msg(name, spdlog::level::warn,
                                                  std::string("cannot open log file: ") + e.what()));
    }
    auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
    logger->set_level(std::min(stderrLevel_, fileLevel_));
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
