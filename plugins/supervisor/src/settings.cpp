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

std::vector<ConfigKey> settingKeys() {
    const Settings d;
    auto n = [](long long v) { return std::to_string(v); };
    auto secs = [&](ms v) { return n(v.count() / 1000); };
    auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    return {
        {"backoff_start_ms", n(d.backoffStart.count()), "the first wait before restarting a child that exited"},
        {"backoff_cap_ms", n(d.backoffCap.count()), "the longest wait between restarts (the backoff doubles up to it)"},
        {"healthy_reset_seconds", secs(d.healthyReset), "healthy this long resets the backoff"},
        {"crash_loop_starts", n(static_cast<long long>(d.crashLoopStarts)), "this many starts within the window is a crash loop"},
        {"crash_loop_window_seconds", secs(d.crashLoopWindow), "the crash-loop window"},
        {"healthy_after_ms", n(d.healthyAfter.count()), "a start counts as good after /health and this much uptime"},
        {"start_timeout_seconds", secs(d.startTimeout), "a child that never answers /health by then is killed"},
        {"health_interval_ms", n(d.healthInterval.count()), "how often /health is asked"},
        {"health_timeout_ms", n(d.healthTimeout.count()), "how long one /health may take"},
        {"health_failures", n(d.healthFailures), "this many failed /health in a row: the child is wedged and restarted"},
        {"stop_grace_ms", n(d.stopGrace.count()), "SIGTERM, then SIGKILL after this"},
        {"max_log_bytes", n(static_cast<long long>(d.maxLogBytes)), "server.out.log / daemon.out.log rotate past this"},
        {"log_files", n(static_cast<long long>(d.logFiles)), "rotated log files kept"},
        {"restart_min_interval_seconds", secs(d.restartMinInterval), "restart-server requests closer together are refused"},
        {"supervise_daemon", b(d.superviseDaemon), "also keep the support daemon running"},
        {"safe_mode", b(d.safeMode), "after a crash loop blamed on a plugin, restart without third-party plugins"},
        {"exit_detection", "pidfd", "how a child's exit is noticed: pidfd (at once) or poll"},
        {"poll_interval_ms", n(d.pollInterval.count()), "exit_detection = poll: how often to look"},
        {"start_wait_seconds", secs(d.startWait), "how long `always-on start` waits for /health"},
    };
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
    return out;
}

} // namespace wildws::supervisor
