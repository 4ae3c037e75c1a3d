#include "settings.hpp"

#include <wildws/config.hpp>

#include <algorithm>

namespace wildws::supervisor {
namespace {

struct Reader {
    const Config& c;
    std::string error;

    long long get(const std::string& key, long long fallback, long long lo, long long hi) {
        if (!error.empty()) return fallback;
        try {
            long long v = c.getInt(key, fallback);
            if (v < lo || v > hi) {
                error = c.section() + " " + key + " = " + std::to_string(v) + ": expected " + std::to_string(lo) +
                        ".." + std::to_string(hi) + " - fix it in wildws.ini";
                return fallback;
            }
            return v;
        } catch (const ConfigError& e) {
            error = e.what();
            return fallback;
        }
    }
    bool flag(const std::string& key, bool fallback) {
        if (!error.empty()) return fallback;
        try {
            return c.getBool(key, fallback);
        } catch (const ConfigError& e) {
            error = e.what();
            return fallback;
        }
    }
};

constexpr long long kDay = 24LL * 3600;

} // namespace

const std::vector<std::string>& settingKeys() {
    static const std::vector<std::string> keys{
        "backoff_start_ms", "backoff_cap_ms", "healthy_reset_seconds", "crash_loop_starts",
        "crash_loop_window_seconds", "healthy_after_ms", "start_timeout_seconds", "health_interval_ms",
        "health_timeout_ms", "health_failures", "stop_grace_ms", "max_log_bytes", "log_files",
        "restart_min_interval_seconds", "supervise_daemon", "safe_mode", "exit_detection", "poll_interval_ms",
        "start_wait_seconds", "enabled"};
    return keys;
}

SettingsResult readSettings(const Config& config) {
    SettingsResult out;
    Settings& s = out.settings;
    Reader r{config, {}};
    s.backoffStart = ms(r.get("backoff_start_ms", s.backoffStart.count(), 0, kDay * 1000));
    s.backoffCap = ms(r.get("backoff_cap_ms", s.backoffCap.count(), 0, kDay * 1000));
    s.healthyReset = ms(1000 * r.get("healthy_reset_seconds", 30, 0, kDay));
    s.crashLoopStarts = static_cast<std::size_t>(r.get("crash_loop_starts", 5, 1, 1000));
    s.crashLoopWindow = ms(1000 * r.get("crash_loop_window_seconds", 60, 1, kDay));
    s.healthyAfter = ms(r.get("healthy_after_ms", s.healthyAfter.count(), 0, kDay * 1000));
    s.startTimeout = ms(1000 * r.get("start_timeout_seconds", 30, 1, kDay));
    s.healthInterval = ms(r.get("health_interval_ms", s.healthInterval.count(), 10, kDay * 1000));
    s.healthTimeout = ms(r.get("health_timeout_ms", s.healthTimeout.count(), 10, 600 * 1000));
    s.healthFailures = static_cast<int>(r.get("health_failures", 3, 1, 1000));
    s.stopGrace = ms(r.get("stop_grace_ms", s.stopGrace.count(), 0, 600 * 1000));
    s.maxLogBytes = static_cast<std::size_t>(r.get("max_log_bytes", static_cast<long long>(s.maxLogBytes), 0, 1LL << 40));
    s.logFiles = static_cast<std::size_t>(r.get("log_files", 3, 0, 100));
    s.restartMinInterval = ms(1000 * r.get("restart_min_interval_seconds", 30, 0, kDay));
    s.superviseDaemon = r.flag("supervise_daemon", true);
    s.safeMode = r.flag("safe_mode", true);
    s.pollInterval = ms(r.get("poll_interval_ms", s.pollInterval.count(), 10, 600 * 1000));
    s.startWait = ms(1000 * r.get("start_wait_seconds", 30, 1, 3600));
    if (r.error.empty()) {
        auto mode = config.getString("exit_detection", "pidfd");
        if (mode == "pidfd") s.exitDetection = ExitDetection::Pidfd;
        else if (mode == "poll") s.exitDetection = ExitDetection::Poll;
        else r.error = config.section() + " exit_detection = '" + mode + "': expected pidfd or poll";
    }
    if (r.error.empty() && s.backoffCap < s.backoffStart)
        r.error = config.section() + " backoff_cap_ms (" + std::to_string(s.backoffCap.count()) +
                  ") is below backoff_start_ms (" + std::to_string(s.backoffStart.count()) + ") - fix it in wildws.ini";
    out.error = r.error;
    const auto& known = settingKeys();
    for (auto& key : config.keys())
        if (std::find(known.begin(), known.end(), key) == known.end())
            out.warnings.push_back(config.section() + " " + key + ": unknown key, ignored");
    return out;
}

} // namespace wildws::supervisor
