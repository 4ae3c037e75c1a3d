// Safe mode: when a child crash-loops and the host's crash.log names the
// plugin that was running on the crashing thread, that plugin is written to
// <home>/safe-mode.json and the loader leaves it closed in every role; when
// no plugin was named, every plugin not shipped with wildws is left closed.
// It stays so until `wildws always-on start --clear-safe-mode`.
// decideSafeMode() is pure, so every rule is unit-tested.
#pragma once

#include "child_process.hpp"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wildws::supervisor {

/// One crash.log line: {"ts","pid","signal","plugin","call"}.
struct CrashRecord {
    std::int64_t ts = 0;
    int pid = 0;
    std::string signal; // "SIGSEGV"
    std::string plugin; // "" when no plugin code was running
    std::string call;   // "GET /api/x", "tick crash", "setup", ...
};

std::optional<CrashRecord> parseCrashLine(const std::string& line);
/// The newest crash.log line written by `pid` (the file's last 64 KiB).
std::optional<CrashRecord> lastCrashOf(const std::string& crashLogPath, int pid);

struct DisabledPlugin {
    std::string plugin;
    std::string signal;
    std::string call;
    std::string child;     // "server" or "daemon": whose crash loop named it
    std::int64_t at = 0;   // ms since epoch
};

struct SafeMode {
    std::vector<DisabledPlugin> disabled;
    bool onlyFirstParty = false;
    std::string reason;    // why onlyFirstParty
};

std::optional<SafeMode> readSafeMode(const std::string& path);
/// Atomic, 0600. Throws std::system_error.
void writeSafeMode(const std::string& path, const SafeMode& mode);
/// The file's JSON shape, shared by the file and `always-on status --json`:
/// `at` is ms in the file, ISO 8601 UTC (or null) when `isoTimes` (output).
Poco::JSON::Object::Ptr safeModeObject(const SafeMode& mode, bool isoTimes = false);
/// True when a file was removed.
bool removeSafeMode(const std::string& path);

/// "disabled by safe mode: x (SIGSEGV in GET /api/x)" - the loader's words.
std::string describe(const DisabledPlugin& plugin);
/// One line per disabled plugin, plus one for onlyFirstParty.
std::vector<std::string> describe(const SafeMode& mode);

/// Signals the host's crash handler records (a crash, not a stop).
bool isCrashSignal(int signal);

struct SafeModeDecision {
    bool apply = false;
    SafeMode next;          // the file to write when apply
    std::string summary;    // "disabled by safe mode: x (SIGSEGV in tick boom)"
    std::string whyNot;     // when !apply
};

SafeModeDecision decideSafeMode(const std::optional<SafeMode>& current, const ExitStatus& lastExit,
                                const std::optional<CrashRecord>& crash, const std::string& child,
                                std::int64_t nowMs);

} // namespace wildws::supervisor
