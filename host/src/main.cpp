// wildws: wiring only. Signals are blocked before any thread exists so that
// no thread (Poco's, spdlog's, a plugin's) ever receives SIGINT/SIGTERM.
#include "app/config_store.hpp"
#include "app/crash_log.hpp"
#include "app/home.hpp"
#include "app/logs.hpp"
#include "app/signals.hpp"
#include "cli/builtins.hpp"
#include "cli/cli_app.hpp"
#include "cli/global_options.hpp"
#include "cli/invocation.hpp"
#include "cli/usage_error.hpp"
#include "plugins/command_owners.hpp"
#include "plugins/plugin_host.hpp"
#include "app/server_commands.hpp"
#include "http/host_routes.hpp"
#include "services/activity_bus.hpp"
#include "services/host_api.hpp"
#include "services/secrets_file.hpp"
#include "version.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <thread>
#include <cstdlib>
#include <iostream>
#include <set>
#include <unistd.h>

namespace {

using namespace wildws;
using namespace wildws::host;

std::string executablePath() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("wildws");
}

std::vector<std::string> defaultPluginDirs(const std::string& exe) {
    std::string dir = exe.substr(0, exe.rfind('/'));
    return {dir + "/plugins", dir + "/../" + WILDWS_INSTALL_PLUGIN_DIR};
}

Role roleOf(const std::vector<std::string>& rest) {
    if (!rest.empty() && rest[0] == "serve") return Role::Workspace;
    if (!rest.empty() && rest[0] == "daemon") return Role::Daemon;
    return Role::Cli;
}

std::string joined(const std::vector<std::string>& words, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && i < words.size(); ++i) out += (i ? " " : "") + words[i];
    return out;
}

// Commands that only report: they never create the home (or anything in it).
bool readOnlyCommand(const GlobalOptions& options, const std::vector<std::string>& words) {
    if (options.rest.empty() || options.help || words.empty()) return true;
    const std::string& first = words[0];
    if (first == "help" || first == "version" || first == "plugins") return true;
    if (joined(words, 2) == "config check") return true;
    return standaloneCommandOwner(joined(words, 2)).has_value();
}

bool isDirectory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// --plugins-dir (else the defaults), then [plugins] dirs; relative config
// entries are relative to the config file's directory.
std::vector<std::string> pluginDirsOf(const GlobalOptions& options, const std::string& exe, const ConfigStore& config,
                                      ConfigFacts& facts) {
    std::vector<std::string> dirs;
    for (auto& d : options.pluginDirs)
        if (!isDirectory(d))
            throw UsageError("--plugins-dir " + d + ": no such directory - check the path (or leave the option out "
                             "to use the default plugin directories)");
    dirs = options.pluginDirs.empty() ? defaultPluginDirs(exe) : options.pluginDirs;
    auto slash = config.file().rfind('/');
    std::string base = slash == std::string::npos ? "." : config.file().substr(0, slash);
    for (auto d : config.section("plugins")->getList("dirs")) {
        if (d[0] != '/') d = base + "/" + d;
        if (isDirectory(d)) dirs.push_back(d);
        else facts.missingDirs.push_back(d);
    }
    return dirs;
}

int run(const std::vector<std::string>& args) {
    GlobalOptions options = extractGlobalOptions(args);
    if (options.version && options.rest.empty()) {
        std::cout << "wildws " << WILDWS_VERSION << " (SDK ABI " << kAbiVersion << ")\n";
        return 0;
    }
    const auto words = commandWords(options.rest);

    HostInfo info;
    info.version = WILDWS_VERSION;
    info.executable = executablePath();
    const bool readOnly = readOnlyCommand(options, words);
    // A read-only command keeps the default SIGINT/SIGTERM/SIGHUP: it has
    // nothing to finish or clean up, so a signal ends it at once, and it
    // starts no signal thread (cold start). Any other command blocks them
    // here, before any thread exists, and handles them below.
    if (!readOnly) Signals::block();
    info.home = resolveHome(options.home, !readOnly);
    installCrashLog(info.home + "/crash.log");
    info.configFile = options.config.empty() ? info.home + "/wildws.ini" : options.config;
    info.role = roleOf(options.rest);

    ConfigStore::Overrides sets;
    for (auto& s : options.sets) sets.push_back(ConfigStore::parseOverride(s, "--set"));
    ConfigStore config(info.configFile, !options.config.empty(), sets,
                       ConfigStore::parseEnvironment(std::getenv("WILDWS_SET")));

    auto stderrLevel = spdlog::level::warn;
    if (!options.logLevel.empty()) {
        auto parsed = Logs::parseLevel(options.logLevel);
        if (!parsed)
            throw UsageError("--log-level '" + options.logLevel +
                             "' is not a level: use trace, debug, info, warn, error, critical or off");
        stderrLevel = *parsed;
    }
    Logs logs(info.home + "/logs", stderrLevel, spdlog::level::info, !readOnly);

    ConfigReport report;
    report.config = &config;
    info.pluginDirs = pluginDirsOf(options, info.executable, config, report.facts);
    const auto found = PluginHost::discover(info.pluginDirs);
    report.facts.pluginDirs = info.pluginDirs;
    for (auto& f : found) report.facts.pluginFiles.push_back(f.name);

    auto ports = [&](const char* key, int fallback) {
        return static_cast<int>(config.section(key)->getInt("port", fallback));
    };
    info.workspacePort = ports("serve", 5173);
    info.daemonPort = ports("daemon", 5174);
    info.bindAddress = config.get("serve.bind").value_or("127.0.0.1");

    auto secrets = std::make_shared<SecretsFile>(info.home);
    auto bus = std::make_shared<ActivityBusImpl>();
    ServerCore* runningServer = nullptr;
    PluginHost plugins(info, config, logs);
    plugins.addHostContributions(builtinCommands(plugins, info, report));
    plugins.addHostContributions(
        serverCommands({plugins, info, config, logs, *secrets, runningServer, report.problems}));
    plugins.addHostContributions(hostRoutes({plugins, *secrets, *bus, info.home, info.version, runningServer}));
    Contributions services;
    services.services.push_back({kHostOwner, HostApi::kServiceId, "", std::make_shared<HostApiService>(plugins)});
    services.services.push_back({kHostOwner, Secrets::kServiceId, "", secrets});
    services.services.push_back({kHostOwner, ActivityBus::kServiceId, "", bus});
    plugins.addHostContributions(std::move(services));

    // Cold start: a standalone command opens and sets up its own plugin only.
    auto lone = options.help ? std::nullopt : standaloneCommandOwner(joined(words, 2));
    bool loneFound = lone && std::any_of(found.begin(), found.end(), [&](auto& f) { return f.name == *lone; });
    if (loneFound) {
        std::set<std::string> names{*lone};
        auto configured = [&config](const std::string& plugin) { return !config.keys("plugin." + plugin).empty(); };
        for (auto& companion : standaloneCompanions(joined(words, 2), configured)) names.insert(companion);
        plugins.loadOnly(found, names);
    }
    else plugins.loadAll(found);

    for (auto& row : plugins.table().snapshot())
        if (row.state == state::kDisabled) report.facts.disabled.push_back(row.name);
    for (auto& f : found)
        if (auto* keys = plugins.declaredKeys(f.name)) report.facts.declared[f.name] = *keys;
    report.problems = findConfigProblems(config, report.facts);
    // Every command warns; serve and daemon refuse on the fail-closed ones;
    // `config check` prints them itself.
    if (joined(words, 2) != "config check")
        for (auto& p : report.problems)
            if (!(p.stopsServers && info.role != Role::Cli)) std::cerr << "wildws: warning: " << p.message << "\n";

    CommandHints hints{report.facts.pluginFiles, info.pluginDirs};
    // SIGINT/SIGTERM ask the command to stop (it polls interrupted()). One
    // stuck where it never looks is ended after a grace period, so a signal
    // always ends the process; a command that saw the request is stopping on
    // its own terms (a supervisor waiting for its children) and is left alone.
    const auto grace = info.role == Role::Cli ? std::chrono::seconds(5) : std::chrono::seconds(10);
    if (!readOnly) {
        Signals::start([grace](int sig) {
            std::thread([grace, sig] {
                std::this_thread::sleep_for(grace);
                if (commandSawStop()) return;
                std::fprintf(stderr, "wildws: still running %llds after signal %d and not stopping; exiting\n",
                             static_cast<long long>(grace.count()), sig);
                std::_Exit(128 + sig);
            }).detach();
        });
    }
    int code = runCommandLine(plugins, info, options, std::cout, std::cerr, hints);
    std::cout.flush();
    return code;
}

} // namespace

int main(int argc, char** argv) {
    Signals::ignoreBrokenPipe();
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return run(args);
    } catch (const UsageError& e) {
        std::cerr << "wildws: " << e.what() << "\n";
        return kExitUsage;
    } catch (const ConfigFileError& e) {
        std::cerr << "wildws: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "wildws: " << e.what() << "\n";
        return 1;
    }
}
