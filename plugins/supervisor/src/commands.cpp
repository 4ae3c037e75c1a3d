#include "commands.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>
#include "launch.hpp"
#include "lock.hpp"
#include "pid_record.hpp"
#include "safe_mode.hpp"
#include "status_file.hpp"
#include "supervisor.hpp"
#include "unit_writer.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Array.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <cstdlib>

namespace wildws::supervisor {
namespace {

std::string daemonDisabledReason(const Settings& s) {
    const char* env = std::getenv("WILD_WORKSPACE_NO_DAEMON_SUPERVISION");
    if (env && std::string(env) == "1") return "WILD_WORKSPACE_NO_DAEMON_SUPERVISION=1";
    if (!s.superviseDaemon) return "[plugin.supervisor] supervise_daemon = false";
    return "";
}

/// Runs a command with its text going nowhere, for --json: the caller then
/// prints the state it left as `always-on status --json` does. Errors still
/// go to stderr.
class QuietInvocation : public Invocation {
public:
    explicit QuietInvocation(Invocation& inner) : inner_(inner), sink_(nullptr) {}
    bool flag(const std::string& name) const override { return name != "json" && inner_.flag(name); }
    std::optional<std::string> value(const std::string& name) const override { return inner_.value(name); }
    std::optional<std::string> positional(const std::string& name) const override { return inner_.positional(name); }
    std::ostream& out() override { return sink_; }
    std::ostream& err() override { return inner_.err(); }
    bool interrupted() const override { return inner_.interrupted(); }
    bool waitInterrupted(std::chrono::milliseconds d) const override { return inner_.waitInterrupted(d); }

private:
    Invocation& inner_;
    std::ostream sink_; // no buffer: discards
};

int statusCommand(const CommandEnv& env, Invocation& inv);

/// `always-on start --json` / `stop --json`: the command's outcome as the
/// status JSON (one shape for every always-on command), its exit code kept.
int withJsonStatus(const CommandEnv& env, Invocation& inv, int (*command)(const CommandEnv&, Invocation&)) {
    if (!inv.flag("json")) return command(env, inv);
    QuietInvocation quiet(inv);
    int code = command(env, quiet);
    statusCommand(env, inv);
    return code;
}

int statusCommand(const CommandEnv& env, Invocation& inv) {
    Paths paths = Paths::of(env.host.home);
    auto running = runningSupervisor(paths);
    std::optional<SupervisorStatus> status;
    if (running) {
        status = readStatus(paths.status);
        if (!status || status->pid != running->pid) { // just starting: no status written yet
            status = SupervisorStatus{};
            status->pid = running->pid;
            status->startedAt = running->startedAt;
            status->version = running->version;
        }
    }
    auto safeMode = readSafeMode(paths.safeMode);
    if (inv.flag("json")) inv.out() << statusReportJson(status, safeMode, common::nowMs());
    else inv.out() << statusReportText(status, safeMode, common::nowMs());
    // LSB: 3 means "not running", so scripts can tell without parsing.
    return running ? 0 : 3;
}

int runCommand(const CommandEnv& env, Invocation& inv) {
    auto settings = settingsOrComplain(env, inv);
    if (!settings) return 2;
    SupervisorDeps deps;
    deps.paths = Paths::of(env.host.home);
    deps.launch = launchFrom(env.host);
    deps.settings = *settings;
    deps.version = env.host.version;
    deps.daemonDisabledReason = daemonDisabledReason(*settings);
    deps.log = env.log;
    deps.services = env.services;
    Supervisor supervisor(std::move(deps));
    return supervisor.run(inv);
}

void makeDirs(const std::string& dir) {
    for (std::size_t pos = 1; pos != std::string::npos;) {
        pos = dir.find('/', pos + 1);
        ::mkdir(dir.substr(0, pos).c_str(), 0755);
    }
}

int installUnitCommand(const CommandEnv& env, Invocation& inv) {
    auto settings = settingsOrComplain(env, inv);
    if (!settings) return 2;
    std::string path = userUnitPath(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
    if (path.empty()) {
        inv.err() << "wildws: always-on install-unit: HOME is not set, so there is no ~/.config/systemd/user\n";
        return 1;
    }
    UnitSpec spec;
    spec.version = env.host.version;
    spec.execStart = supervisorArgv(launchFrom(env.host), *env.config, false);
    // A user manager's PATH is short; the agent CLIs the plugins look for
    // are often in ~/.local/bin or a node version manager's directory.
    for (const char* name : {"PATH", "WILDWS_SET", "WILD_WORKSPACE_NO_DAEMON_SUPERVISION"})
        if (const char* v = std::getenv(name); v && *v) spec.environment.emplace_back(name, v);
    // systemd's stop timeout must outlast our own grace, with room to spare.
    spec.stopTimeoutSeconds = static_cast<int>(settings->stopGrace.count() / 1000) * 2 + 10;
    try {
        makeDirs(path.substr(0, path.rfind('/')));
        writeFileAtomic(path, unitText(spec));
    } catch (const std::exception& e) {
        inv.err() << "wildws: always-on install-unit: cannot write " << path << ": " << e.what() << "\n";
        return 1;
    }
    auto running = runningSupervisor(Paths::of(env.host.home));
    if (inv.flag("json")) {
        auto o = json::object();
        o->set("file", path);
        Poco::JSON::Array::Ptr next = new Poco::JSON::Array;
        next->add("systemctl --user daemon-reload");
        next->add("systemctl --user enable --now wildws.service");
        o->set("enableWith", next);
        o->set("supervisorRunning", running.has_value());
        inv.out() << json::toText(o) << "\n";
        return 0;
    }
    inv.out() << "wrote " << path << "\n";
    inv.out() << "enable it with:\n";
    inv.out() << "  systemctl --user daemon-reload\n";
    inv.out() << "  systemctl --user enable --now wildws.service\n";
    if (running)
        inv.out() << "note: a supervisor is already running (pid " << running->pid
                  << "); stop it first with 'wildws always-on stop', or the unit's supervisor exits 3 and stays "
                     "inactive\n";
    return 0;
}

} // namespace

std::optional<Settings> settingsOrComplain(const CommandEnv& env, Invocation& inv) {
    auto r = readSettings(*env.config);
    if (!r.error.empty()) {
        inv.err() << "wildws: always-on: " << r.error << "\n";
        return std::nullopt;
    }
    return r.settings;
}

std::optional<PidRecord> runningSupervisor(const Paths& paths) {
    auto rec = liveRecord(paths.supervisorPid);
    if (!rec || rec->role != "supervisor") return std::nullopt;
    if (!SupervisorLock::heldByOther(paths.lock)) return std::nullopt;
    return rec;
}

std::vector<CommandSpec> commandSpecs(const CommandEnv& env) {
    std::vector<CommandSpec> specs;
    specs.push_back({"always-on start",
                     "start the supervisor that keeps serve and the support daemon running (detached)",
                     {{"clear-safe-mode", "", "load again the plugins safe mode disabled after a crash loop", {}},
                      {"json", "", "print the state it left, as 'always-on status --json'", {}}},
                     {},
                     [env](Invocation& inv) { return withJsonStatus(env, inv, &startCommand); }});
    specs.push_back({"always-on stop",
                     "stop the supervisor and both children",
                     {{"json", "", "print the state it left, as 'always-on status --json'", {}}},
                     {},
                     [env](Invocation& inv) { return withJsonStatus(env, inv, &stopCommand); }});
    specs.push_back({"always-on status",
                     "the supervisor and each child: state, pid, restarts, last exit, safe mode (exit 3: not running)",
                     {{"json", "", "machine-readable output", {}}},
                     {},
                     [env](Invocation& inv) { return statusCommand(env, inv); }});
    specs.push_back({"always-on run",
                     "run the supervisor in the foreground (what a service manager runs; exit 3: already running)",
                     {},
                     {},
                     [env](Invocation& inv) { return runCommand(env, inv); }});
    specs.push_back({"always-on install-unit",
                     "write a systemd user unit (~/.config/systemd/user/wildws.service) that runs the supervisor",
                     {{"json", "", "print {file, enableWith, supervisorRunning}", {}}},
                     {},
                     [env](Invocation& inv) { return installUnitCommand(env, inv); }});
    return specs;
}

} // namespace wildws::supervisor
