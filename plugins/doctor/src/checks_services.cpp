// Plugins (HostApi), agents (AgentBackend + AgentSignin), the support grant
// and operator access (Consent + operator.json).
#include "checks.hpp"
#include "files.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/abi.hpp>
#include <wildws/services/agent.hpp>
#include <wildws/services/agent_signin.hpp>
#include <wildws/services/consent.hpp>
#include <wildws/services/host.hpp>

#include <future>

namespace wildws::doctor {
namespace {

std::string fixFor(const PluginStatus& p) {
    if (p.state == "incompatible-abi")
        return "rebuild " + p.file + " against this wildws's SDK (ABI " + std::to_string(WILDWS_SDK_ABI_VERSION) +
               "), or remove it";
    if (p.state == "unsafe-permissions") return "chmod go-w " + p.file + " and its directory";
    if (p.state == "setup-failed") return "correct what the message says (often [plugin." + p.name + "] in wildws.ini)";
    if (p.state == "no-entry-point" || p.state == "open-failed") return "remove " + p.file + " or reinstall it";
    if (p.state == "duplicate") return "remove one of the two copies";
    return "see `wildws plugins`; report it to the plugin's author";
}

} // namespace

void checkPlugins(const DoctorContext& c, Report& r) {
    auto host = c.services ? c.services->find<HostApi>() : nullptr;
    if (!host) return r.fail("plugins", "plugins", "the host gave no plugin list", "this is a wildws bug: report it");
    for (auto& p : host->plugins()) {
        std::string id = "plugin." + p.name, title = "plugin " + p.name;
        if (p.state == "loaded") r.ok(id, title, "loaded " + p.version);
        else if (p.state == "disabled") r.skip(id, title, "disabled" + (p.reason.empty() ? "" : ": " + p.reason));
        else r.fail(id, title, p.state + (p.reason.empty() ? "" : ": " + p.reason), fixFor(p));
    }
}

void checkAgents(const DoctorContext& c, Report& r) {
    if (!c.services) return;
    auto backends = c.services->all<AgentBackend>();
    if (backends.empty()) return r.skip("agents", "agents", "no agent backend is loaded (the agent plugin is off)");
    // Each agent's detection and sign-in probe (a Node CLI each: seconds)
    // run side by side; the lines keep the backends' order.
    struct Seen {
        AgentDetection d;
        std::string detectError;
        AgentSigninStatus s;
    };
    std::vector<std::future<Seen>> pending;
    for (auto& b : backends)
        pending.push_back(std::async(std::launch::async, [&c, b] {
            Seen seen;
            try {
                seen.d = b->detect();
            } catch (const std::exception& e) {
                seen.detectError = e.what();
                return seen;
            }
            if (!seen.d.found) return seen;
            if (auto signin = c.services->find<AgentSignin>(b->id())) {
                try {
                    seen.s = signin->status();
                } catch (const std::exception& e) {
                    seen.s.how = e.what();
                }
            }
            return seen;
        }));
    int usable = 0;
    std::string hints;
    std::size_t first = r.checks.size();
    for (std::size_t i = 0; i < backends.size(); ++i) {
        auto& b = backends[i];
        Seen seen = pending[i].get();
        std::string id = "agent." + b->id(), title = b->displayName();
        const AgentDetection& d = seen.d;
        if (!seen.detectError.empty()) {
            r.fail(id, title, "its detection failed: " + seen.detectError, "report it to the backend's author");
            continue;
        }
        if (!d.found) {
            r.skip(id, title, "not installed: " + d.reason + (d.installHint.empty() ? "" : " (" + d.installHint + ")"));
            if (!d.installHint.empty()) hints += (hints.empty() ? "" : "; ") + b->displayName() + ": " + d.installHint;
            continue;
        }
        std::string found = "found " + d.path + (d.version.empty() ? "" : " (" + d.version + ")");
        const AgentSigninStatus& s = seen.s;
        if (s.state == SigninState::SignedOut) {
            r.fail(id, title, found + ", not signed in", s.how);
            continue;
        }
        ++usable;
        if (s.state == SigninState::SignedIn)
            r.ok(id, title, found + ", signed in" + (s.method.empty() ? "" : " (" + s.method + ")"));
        else
            r.ok(id, title, found + ", sign-in unknown" + (s.how.empty() ? "" : ": " + s.how));
    }
    bool anyFound = false;
    for (std::size_t i = first; i < r.checks.size(); ++i) anyFound |= r.checks[i].status != Status::Skip;
    if (!anyFound)
        r.fail("agents", "agents", "no coding agent is installed",
               hints.empty() ? "install one (Claude Code, Codex, Gemini CLI)" : hints);
    else if (usable == 0)
        r.fail("agents", "agents", "no installed agent is signed in", "sign one in (see above)");
}

void checkSupport(const DoctorContext& c, Report& r) {
    auto consent = c.services ? c.services->find<Consent>() : nullptr;
    if (!consent) {
        r.skip("support", "support grant", "the consent plugin is not loaded: every support action is denied");
    } else {
        GrantStatus g;
        try {
            g = consent->status();
        } catch (const std::exception& e) {
            g.offReason = std::string("unreadable: ") + e.what();
        }
        if (g.enabled)
            r.ok("support", "support grant", "ON: tier " + std::to_string(g.tier) + " until " + common::localTime(g.expiresAt) +
                                                 " (`wildws support revoke` ends it)");
        else if (!g.offReason.empty() && g.offReason != "expired")
            r.fail("support", "support grant", "OFF: " + g.offReason + " (" + g.file + ")",
                   "`wildws support revoke` removes the file; `wildws support allow` grants again");
        else
            r.ok("support", "support grant", g.offReason == "expired" ? "OFF (the last grant expired)" : "OFF");
    }
    auto op = readJsonFile(c.host.home + "/operator.json", true);
    if (op.missing) return r.ok("operator", "operator access", "OFF");
    if (!op.error.empty())
        return r.fail("operator", "operator access", op.error,
                      "`wildws operator disable` removes it; `wildws operator enable` makes a new token");
    std::int64_t since = integer(op.json, "createdAt", 0);
    r.ok("operator", "operator access", "ON" + (since > 0 ? " since " + common::localTime(since) : std::string()) +
                                            " (`wildws operator disable` ends it)");
}

} // namespace wildws::doctor
