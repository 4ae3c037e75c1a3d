// wildws: wiring only. Signals are blocked before anything else so that no
// thread (Poco's, spdlog's, a plugin's) ever receives SIGINT/SIGTERM.
#include "app/config_store.hpp"
#include "app/crash_log.hpp"
#include "app/home.hpp"
#include "app/logs.hpp"
#include "app/signals.hpp"
#include "cli/builtins.hpp"
#include "cli/cli_app.hpp"
#include "cli/global_options.hpp"
#include "cli/usage_error.hpp"
#include "plugins/plugin_host.hpp"
#include "app/server_commands.hpp"
#include "http/host_routes.hpp"
#include "services/activity_bus.hpp"
#include "services/host_api.hpp"
#include "services/secrets_file.hpp"
#include "version.hpp"

#include <climits>
#include <cstdlib>
#include <iostream>
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

int run(const std::vector<std::string>& args) {
    GlobalOptions options = extractGlobalOptions(args);
    if (options.version && options.rest.empty()) {
        std::cout << "wildws " << WILDWS_VERSION << " (SDK ABI " << kAbiVersion << ")\n";
        return 0;
    }

    HostInfo info;
    info.version = WILDWS_VERSION;
    info.executable = executablePath();
    info.home = resolveHome(options.home);
    installCrashLog(info.home + "/crash.log");
    info.configFile = options.config.empty() ? info.home + "/wildws.ini" : options.config;
    info.pluginDirs = options.pluginDirs.empty() ? defaultPluginDirs(info.executable) : options.pluginDirs;
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
    Logs logs(info.home + "/logs", stderrLevel, spdlog::level::info);

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
    plugins.addHostContributions(builtinCommands(plugins, info));
    plugins.addHostContributions(serverCommands({plugins, info, config, logs, *secrets, runningServer}));
    plugins.addHostContributions(hostRoutes({plugins, *secrets, *bus, info.home, info.version, runningServer}));
    Contributions services;
    services.services.push_back({kHostOwner, HostApi::kServiceId, "", std::make_shared<HostApiService>(plugins)});
    services.services.push_back({kHostOwner, Secrets::kServiceId, "", secrets});
    services.services.push_back({kHostOwner, ActivityBus::kServiceId, "", bus});
    plugins.addHostContributions(std::move(services));
    plugins.loadAll(info.pluginDirs);

    Signals::start();
    int code = runCommandLine(plugins, info, options, std::cout, std::cerr);
    std::cout.flush();
    return code;
}

} // namespace

int main(int argc, char** argv) {
    Signals::block();
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
