// [plugin.supervisor]: every limit the supervisor applies, with the issue's
// defaults. Parsed once; a malformed or out-of-range value is an error that
// names the key (the command prints it and exits 2). Unknown keys: the host
// warns, from settingKeys() (PluginInfo::configKeys).
#pragma once

#include "clock.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <wildws/config.hpp>

namespace wildws::supervisor {

enum class ExitDetection {
    Pidfd, // the default: poll() wakes the moment a child exits
    Poll,  // the seed's design, kept for the benchmark: look every poll_interval_ms
};

struct Settings {
    ms backoffStart{500};              // backoff_start_ms
    ms backoffCap{30000};              // backoff_cap_ms
    ms healthyReset{30000};            // healthy_reset_seconds: healthy this long resets the backoff
    std::size_t crashLoopStarts = 5;   // crash_loop_starts (K)
    ms crashLoopWindow{60000};         // crash_loop_window_seconds (W)
    ms healthyAfter{1000};             // healthy_after_ms: a start counts as good after /health AND this uptime
    ms startTimeout{30000};            // start_timeout_seconds: never answered /health by then -> killed
    ms healthInterval{1000};           // health_interval_ms
    ms healthTimeout{2000};            // health_timeout_ms
    int healthFailures = 3;            // health_failures (N in a row -> wedged)
    ms stopGrace{5000};                // stop_grace_ms: SIGTERM, then SIGKILL after this
    std::size_t maxLogBytes = 5u << 20; // max_log_bytes for server.out.log / daemon.out.log
    std::size_t logFiles = 3;          // log_files kept after rotation
    ms restartMinInterval{30000};      // restart_min_interval_seconds (restart-server rate limit)
    bool superviseDaemon = true;       // supervise_daemon (also WILD_WORKSPACE_NO_DAEMON_SUPERVISION=1)
    bool safeMode = true;              // safe_mode
    ExitDetection exitDetection = ExitDetection::Pidfd; // exit_detection = pidfd | poll
    ms pollInterval{1000};             // poll_interval_ms (exit_detection = poll)
    ms startWait{30000};               // start_wait_seconds: how long `always-on start` waits for /health
};

struct SettingsResult {
    Settings settings;
    std::string error; // non-empty: unusable, say it and stop
};

SettingsResult readSettings(const Config& config);

/// The keys readSettings() reads, with their defaults (from Settings{}) and
/// one line each: PluginInfo::configKeys.
std::vector<ConfigKey> settingKeys();

} // namespace wildws::supervisor
