#include "diagnostics_action.hpp"

#include "log_files.hpp"
#include "redactor.hpp"
#include "serve_probe.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/secure.hpp>

#include <wildws/services/agent.hpp>
#include <wildws/services/consent.hpp>
#include <wildws/services/host.hpp>

#include <sys/statvfs.h>
#include <sys/utsname.h>

#include <fstream>
#include <iterator>

namespace wildws::support {
namespace {

json::Object probeJson(const ProcessProbe& p) {
    auto o = json::object();
    o->set("up", p.up);
    if (p.pid) o->set("pid", p.pid);
    if (p.port) o->set("port", p.port);
    if (!p.version.empty()) o->set("version", p.version);
    json::setTimeOrNull(o, "startedAt", p.startedAt);
    if (!p.up) o->set("why", p.why);
    return o;
}

json::Object supervisorJson(const std::string& home) {
    // supervisor.pid names the lock holder; it is read, never the lock
    // itself (taking even a shared lock could make a starting supervisor fail).
    auto probe = liveFromPidFile(home, "supervisor.pid");
    auto o = json::object();
    o->set("running", probe.up);
    if (probe.pid) o->set("pid", probe.pid);
    if (!probe.up) o->set("why", probe.why);
    // Its own view of its children (states, restarts, last exits).
    // readStateFile: a FIFO or a device in its place is refused, never read.
    auto read = wildws::readStateFile(home + "/supervisor-status.json");
    if (auto status = read.ok() ? json::parseObject(read.content) : nullptr) o->set("status", status);
    return o;
}

json::Object diskJson(const std::string& home) {
    auto o = json::object();
    o->set("path", home);
    struct statvfs vfs {};
    if (::statvfs(home.c_str(), &vfs) == 0) {
        o->set("freeBytes", static_cast<Poco::UInt64>(vfs.f_bavail) * vfs.f_frsize);
        o->set("totalBytes", static_cast<Poco::UInt64>(vfs.f_blocks) * vfs.f_frsize);
    }
    return o;
}

json::Array agentsJson(Services& services) {
    auto list = json::array();
    for (auto& b : services.all<AgentBackend>()) {
        auto o = json::object();
        try {
            o->set("id", b->id());
            o->set("name", b->displayName());
            auto d = b->detect();
            o->set("found", d.found);
            if (d.found) {
                o->set("version", d.version);
                o->set("path", d.path);
            } else {
                o->set("reason", d.reason);
            }
        } catch (const std::exception& e) {
            o->set("found", false);
            o->set("reason", std::string("detection failed: ") + common::describe(e));
        }
        list->add(o);
    }
    return list;
}

} // namespace

std::string diagnosticsReport(PluginState& state) {
    auto r = json::object();
    json::setTimeOrNull(r, "generatedAt", common::nowMs());
    auto wildws = json::object();
    wildws->set("version", state.host.version);
    wildws->set("executable", state.host.executable);
    wildws->set("home", state.host.home);
    struct utsname u {};
    if (::uname(&u) == 0) wildws->set("system", std::string(u.sysname) + " " + u.release + " " + u.machine);
    r->set("wildws", wildws);

    auto plugins = json::array();
    auto actions = json::array();
    if (auto host = state.services.find<HostApi>()) {
        for (auto& p : host->plugins()) {
            auto o = json::object();
            o->set("name", p.name);
            o->set("version", p.version);
            o->set("state", p.state);
            if (!p.reason.empty()) o->set("reason", p.reason);
            o->set("file", p.file);
            plugins->add(o);
        }
        for (auto& a : host->supportActions()) {
            auto o = json::object();
            o->set("name", a.name);
            o->set("minTier", a.minTier);
            o->set("plugin", a.plugin);
            actions->add(o);
        }
    }
    r->set("plugins", plugins);
    r->set("agents", agentsJson(state.services));

    auto processes = json::object();
    processes->set("serve", probeJson(probeProcess(state.host.home, "server.pid", "workspace")));
    processes->set("daemon", probeJson(probeProcess(state.host.home, "daemon.pid", "daemon")));
    processes->set("supervisor", supervisorJson(state.host.home));
    r->set("processes", processes);
    r->set("disk", diskJson(state.host.home));

    auto consent = json::object();
    if (auto c = state.services.find<Consent>()) {
        auto s = c->status();
        consent->set("loaded", true);
        consent->set("enabled", s.enabled);
        consent->set("tier", s.enabled ? s.tier : 0);
        json::setTimeOrNull(consent, "expiresAt", s.enabled ? s.expiresAt : 0);
        consent->set("remainingMs", static_cast<Poco::Int64>(s.enabled ? s.remainingMs : 0));
        if (!s.offReason.empty()) consent->set("offReason", s.offReason);
    } else {
        consent->set("loaded", false);
    }
    r->set("consent", consent);
    r->set("supportActions", actions);

    const Redactor redact = Redactor::fromServices(state.services, state.host.home);
    auto errors = json::array();
    for (auto& e : recentErrors(state.logsDir(), 5, 20)) {
        auto o = json::object();
        o->set("channel", e.channel);
        o->set("line", redact.apply(common::sanitizeUtf8(e.line)));
        errors->add(o);
    }
    r->set("recentErrors", errors);
    return redact.apply(json::toText(r));
}

void registerDiagnosticsAction(Context& ctx, std::shared_ptr<PluginState> state) {
    SupportActionSpec spec;
    spec.name = "diagnostics";
    spec.minTier = 1;
    spec.description = "versions, plugin states, agents, serve/daemon/supervisor health, disk, consent, recent errors";
    spec.role = Role::Daemon;
    spec.run = [state](const SupportActionCall&, Response& res) { res.json(200, diagnosticsReport(*state)); };
    ctx.supportAction(std::move(spec));
}

} // namespace wildws::support
