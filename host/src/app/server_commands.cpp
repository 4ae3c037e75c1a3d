#include "app/server_commands.hpp"

#include "app/config_store.hpp"
#include "app/logs.hpp"
#include "app/pid_file.hpp"
#include "app/server_lock.hpp"
#include "app/signals.hpp"
#include "app/tick_scheduler.hpp"
#include "http/server_core.hpp"
#include "http/server_module.hpp"
#include "http/owner_session.hpp"
#include "http/static_files.hpp"
#include "plugins/plugin_host.hpp"
#include "services/secrets_file.hpp"

#include <Poco/JSON/Object.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <unistd.h>

namespace wildws::host {
namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(4);

bool loopbackAddress(const std::string& bind) {
    return bind == "127.0.0.1" || bind == "::1" || bind == "localhost" || bind.rfind("127.", 0) == 0;
}

std::string urlHost(const std::string& bind) {
    if (bind == "0.0.0.0" || bind == "::" || loopbackAddress(bind)) return "127.0.0.1";
    return bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
}

std::string holderOf(const std::string& home, int port) {
    for (const char* file : {"server.pid", "daemon.pid"}) {
        auto r = liveOwner(home + "/" + file);
        if (r && r->port == port)
            return " (by wildws " + std::string(r->role == "daemon" ? "daemon" : "serve") + ", pid " +
                   std::to_string(r->pid) + ", per " + file + ")";
    }
    return "";
}

int runServer(ServerDeps d, Role role, Invocation& inv) {
    const bool workspace = role == Role::Workspace;
    const std::string section = workspace ? "serve" : "daemon";
    const std::string name = workspace ? "serve" : "daemon";
    const std::string pidPath = d.host.home + (workspace ? "/server.pid" : "/daemon.pid");

    // Fail closed: the admin who disabled a plugin by a misspelt name must not
    // get it running.
    for (auto& p : d.problems)
        if (p.stopsServers) {
            inv.err() << "wildws: " << name << ": refusing to start: " << p.message << "\n";
            return 1;
        }
    std::string lockError;
    auto lock = ServerLock::acquire(d.host.home + "/" + name + ".lock", lockError);
    if (!lock) {
        if (lockError != "held") {
            inv.err() << "wildws: " << name << ": " << lockError << "\n";
            return 1;
        }
        auto other = liveOwner(pidPath);
        inv.err() << "wildws " << name << " is already running for this home ";
        if (other)
            inv.err() << "(pid " << other->pid << ", http://127.0.0.1:" << other->port << ")\n";
        else
            inv.err() << "(it is still starting; see " << pidPath << ")\n";
        return 1;
    }
    ServerCore core;
    core.role = role;
    core.plugins = &d.plugins;
    core.secrets = &d.secrets;
    core.version = d.host.version;
    try {
        core.listen = loadListenConfig(d.config, section, workspace ? 5173 : 5174);
    } catch (const ConfigError& e) {
        inv.err() << "wildws: " << e.what() << "\n";
        return 2;
    }
    if (auto p = inv.value("port")) {
        try {
            std::size_t used = 0;
            int port = std::stoi(*p, &used);
            if (used != p->size() || port < 0 || port > 65535) throw std::invalid_argument(*p);
            core.listen.port = port;
        } catch (const std::exception&) {
            inv.err() << "wildws: " << name << ": --port must be a number from 0 to 65535 (got '" << *p << "')\n";
            return 2;
        }
    }
    if (auto b = inv.value("bind")) core.listen.bind = *b;
    if (!loopbackAddress(core.listen.bind)) {
        if (!core.listen.allowRemote) {
            inv.err() << "wildws: refusing to listen on " << core.listen.bind << ": wildws " << name
                      << " stays on loopback unless [" << section
                      << "] allow_remote = true is set in wildws.ini\n";
            return 2;
        }
        inv.err() << "wildws: warning: " << name << " listens on " << core.listen.bind
                  << ", reachable from other machines; keep your tokens secret\n";
    }
    try {
        d.secrets.values();
    } catch (const SecretsError& e) {
        inv.err() << "wildws: " << e.what() << "\n";
        return 1;
    }

    core.accessLog = d.logs.channel("http");
    core.log = d.logs.channel("wildws");
    core.router = std::make_unique<Router>(d.plugins.registry().routes(), role);
    if (workspace) {
        std::string exeDir = d.host.executable.substr(0, d.host.executable.rfind('/'));
        std::string webDir = d.config.get("serve.web_dir").value_or("");
        if (webDir.empty()) {
            webDir = exeDir + "/web";
            struct stat st {};
            if (::stat(webDir.c_str(), &st) != 0) webDir = exeDir + "/../share/wildws/web";
        }
        core.web = std::make_unique<StaticFiles>(webDir);
    }
    OwnerSessions sessions(d.host.home);
    if (workspace) {
        sessions.sweep();
        core.sessions = &sessions;
    }
    // Published before the server threads exist (start() makes them), so
    // /health reads them without a race.
    core.startedAtMs = nowMs();
    d.current = &core;
    std::unique_ptr<Server> server;
    try {
        server = makeHttpServer(core, d.host.executable);
    } catch (const std::exception& e) {
        d.current = nullptr;
        inv.err() << "wildws: " << name << ": " << e.what() << "\n";
        return 1;
    }
    try {
        server->start();
    } catch (const BindError& e) {
        d.current = nullptr;
        inv.err() << "wildws: port " << core.listen.port << " on " << core.listen.bind << " is in use or not available"
                  << holderOf(d.host.home, core.listen.port) << ": " << e.what()
                  << " - stop the other process, or pass --port N\n";
        return 1;
    }
    (workspace ? d.host.workspacePort : d.host.daemonPort) = core.port;

    PidRecord record;
    record.pid = ::getpid();
    record.startTime = processStartTime(::getpid()).value_or(0);
    record.startedAt = core.startedAtMs;
    record.port = core.port;
    record.version = d.host.version;
    record.role = workspace ? "workspace" : "daemon";
    writePidFile(pidPath, record);

    TickScheduler ticks(d.plugins, role);
    ticks.start();

    std::string base = "http://" + urlHost(core.listen.bind) + ":" + std::to_string(core.port);
    inv.out() << "wildws " << name << " listening on " << base << "\n";
    if (workspace) {
        LoginCodes codes(d.host.home);
        codes.sweep();
        try {
            inv.out() << "open " << base << "/login?code=" << codes.mint() << " (works once, for 10 minutes; "
                      << "'wildws open' prints a new one)\n";
        } catch (const std::exception& e) {
            inv.err() << "wildws: serve: no login code: " << e.what() << "\n";
        }
    }
    inv.out().flush();
    core.log->info("{} listening on {} (pid {})", name, base, ::getpid());

    while (!inv.waitInterrupted(std::chrono::seconds(1))) {
    }
    core.log->info("{} stopping (signal {})", name, Signals::lastSignal());
    ticks.stop();
    bool drained = server->stop(kShutdownGrace);
    d.current = nullptr;
    removePidFileIfOurs(pidPath);
    if (!drained) {
        core.log->warn("{}: a handler did not finish within {}s; exiting anyway", name, kShutdownGrace.count());
        spdlog::shutdown();
        std::_Exit(0);
    }
    return 0;
}

} // namespace

Contributions serverCommands(ServerDeps d) {
    Contributions c;
    auto add = [&](CommandSpec spec) { c.commands.push_back({kHostOwner, std::move(spec)}); };
    std::vector<OptionSpec> listenOptions{{"port", "N", "port to listen on (0 picks a free one)", {}},
                                          {"bind", "ADDR", "address to listen on (loopback unless allowed)", {}}};
    add({"serve", "run the workspace server (HTTP API and page, default 127.0.0.1:5173)", listenOptions, {},
         [d](Invocation& inv) { return runServer(d, Role::Workspace, inv); }});
    add({"daemon", "run the support daemon (out-of-band support channel, default 127.0.0.1:5174)", listenOptions, {},
         [d](Invocation& inv) { return runServer(d, Role::Daemon, inv); }});
    add({"open", "print a one-time login URL for the page", {{"json", "", "print {url, port, running}", {}}}, {},
         [d](Invocation& inv) {
             int port = d.host.workspacePort;
             auto running = liveOwner(d.host.home + "/server.pid");
             if (running) port = running->port;
             LoginCodes codes(d.host.home);
             codes.sweep();
             std::string url = "http://127.0.0.1:" + std::to_string(port) + "/login?code=" + codes.mint();
             if (inv.flag("json")) {
                 Poco::JSON::Object o;
                 o.set("url", url);
                 o.set("port", port);
                 o.set("running", running.has_value());
                 o.stringify(inv.out());
                 inv.out() << "\n";
                 return 0;
             }
             inv.out() << url << "\n";
             if (!running)
                 inv.err() << "wildws: note: wildws serve is not running; start it with 'wildws serve'\n";
             return 0;
         }});
    return c;
}

} // namespace wildws::host
