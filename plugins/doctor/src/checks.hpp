// What `wildws doctor` looks at. Each function adds one or more checks to
// the report. The doctor meets the rest of wildws only through SDK services
// (HostApi, AgentBackend, AgentSignin, Consent) and the state files in the
// home (pid files, supervisor-status.json, safe-mode.json,
// relay-status.json, logs/), never through another plugin's code.
#pragma once

#include "report.hpp"

#include <wildws/context.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace wildws::doctor {

/// What one run of the wildws binary gave (`config check --json`, ...).
struct CliOutput {
    int code = -1;
    std::string out, err;
    std::string failure; // it could not run, or timed out
};

struct Limits {
    std::uint64_t minFreeBytes = 500ull << 20;   // min_free_mb: less free space in the home fails
    std::uint64_t maxLogBytes = 200ull << 20;    // max_log_mb: one log file larger than this fails
    std::chrono::milliseconds healthTimeout{2000};
};

struct DoctorContext {
    HostInfo host;
    const Services* services = nullptr;
    Limits limits;
    /// Runs the wildws binary with this home, config and plugin dirs, and `args`.
    std::function<CliOutput(const std::vector<std::string>& args)> runWildws;
};

void checkHome(const DoctorContext& c, Report& r);
void checkConfig(const DoctorContext& c, Report& r);
void checkPlugins(const DoctorContext& c, Report& r);
void checkAgents(const DoctorContext& c, Report& r);
void checkServers(const DoctorContext& c, Report& r);
void checkSupervisor(const DoctorContext& c, Report& r);
void checkSupport(const DoctorContext& c, Report& r);
void checkRelay(const DoctorContext& c, Report& r);
void checkDisk(const DoctorContext& c, Report& r);
void checkLogs(const DoctorContext& c, Report& r);

/// Every check, in the order above.
Report runDoctor(const DoctorContext& c);

/// The runner used outside tests: the executable under a timeout.
std::function<CliOutput(const std::vector<std::string>&)> wildwsRunner(const HostInfo& host,
                                                                      std::chrono::milliseconds timeout);

} // namespace wildws::doctor
