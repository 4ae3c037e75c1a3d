// `wildws always-on start|stop|status|run|install-unit`.
#pragma once

#include "paths.hpp"
#include "pid_record.hpp"
#include "settings.hpp"

#include <wildws/command.hpp>
#include <wildws/context.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace spdlog {
class logger;
}

namespace wildws::supervisor {

/// What the commands keep from setup (the Context itself dies with it).
struct CommandEnv {
    HostInfo host;
    const Config* config = nullptr;        // [plugin.supervisor], valid until exit
    std::shared_ptr<spdlog::logger> log;
    Services* services = nullptr;
};

std::vector<CommandSpec> commandSpecs(const CommandEnv& env);

/// Settings from the config, or nullopt after printing the error (exit 2).
std::optional<Settings> settingsOrComplain(const CommandEnv& env, Invocation& inv);

/// The live supervisor's pid record: supervisor.pid names a live process
/// with the recorded start time AND the lock is held. Else nullopt.
std::optional<PidRecord> runningSupervisor(const Paths& paths);

int startCommand(const CommandEnv& env, Invocation& inv);
int stopCommand(const CommandEnv& env, Invocation& inv);

} // namespace wildws::supervisor
