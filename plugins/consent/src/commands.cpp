#include "commands.hpp"

#include "format.hpp"
#include <wildws/common/audit_json.hpp>
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>
#include "policy.hpp"
#include "status_json.hpp"

#include <wildws/services/relay.hpp>

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>

namespace wildws::consent {
namespace {

const char* const kCheck = "\xE2\x9C\x93"; // ✓
const char* const kCross = "\xE2\x9C\x97"; // ✗
const char* const kDash = "\xE2\x80\x94";  // —

std::string allowCommand(int tier, const std::string& minutes, const std::string& reason, bool yes) {
    std::string cmd = "wildws support allow --tier " + std::to_string(tier) + " --minutes " + minutes;
    if (!reason.empty()) cmd += " --reason " + shellQuote(reason);
    if (yes) cmd += " --yes";
    return cmd;
}

/// "the grant file is invalid: it lasts ...", from an offReason.
std::string offSentence(const GrantStatus& s) {
    const std::string& why = s.offReason;
    if (why == "expired") return "the tier " + std::to_string(s.tier) + " grant expired at " + localTime(s.expiresAt);
    if (why.rfind("config: ", 0) == 0) return "the consent config is broken: " + why.substr(8);
    auto colon = why.find(": ");
    if (colon == std::string::npos) return "the grant file is not valid: " + printable(why);
    return "the grant file is " + why.substr(0, colon) + ": " + printable(why.substr(colon + 2));
}

void clockNote(ConsentService& service, std::ostream& out) {
    auto note = service.clock().note();
    if (!note.empty()) out << "  clock  : " << note << "\n";
}

/// A usage error (exit 2) starts like the host's: "wildws: support allow: ...".
std::ostream& usage(Invocation& inv, const char* command) { return inv.err() << "wildws: " << command << ": "; }

/// With --json, a failure is {"error": code, "message": text} on stdout too
/// (the shape of the HTTP routes' errors), and the line on stderr.
void jsonError(Invocation& inv, const std::string& code, const std::string& message) {
    if (!inv.flag("json")) return;
    auto o = json::object();
    o->set("error", code);
    o->set("message", message);
    inv.out() << json::toText(o) << "\n";
}

bool parseLimit(const std::string& text, std::size_t& limit) {
    if (text.empty() || text.size() > 6) return false;
    for (unsigned char c : text)
        if (!std::isdigit(c)) return false;
    auto n = std::stoul(text);
    if (n < 1 || n > kMaxAuditLimit) return false;
    limit = n;
    return true;
}

int dryRun(ConsentService& service, Invocation& inv, int tier, std::int64_t minutes, const std::string& minutesText,
           const std::string& reason, const ActionLister& listActions) {
    auto& out = inv.out();
    std::optional<std::vector<SupportActionInfo>> actions;
    if (listActions) actions = listActions();
    if (!actions) {
        inv.err() << "cannot list support actions: the host's list (service wildws.host/1) is not available.\n";
        return 1;
    }
    const std::int64_t effective = std::min(minutes, service.maxMinutes());
    out << "dry run: tier " << tier << " would let support " << tierDescription(tier) << ", for "
        << formatDuration(effective * 60000) << ".\n";
    if (minutes > service.maxMinutes())
        out << "  (" << minutes << " min is above the maximum; it would be capped to "
            << formatMaximum(service.maxMinutes()) << ")\n";
    std::sort(actions->begin(), actions->end(), [](const auto& a, const auto& b) {
        return a.minTier != b.minTier ? a.minTier < b.minTier : a.name < b.name;
    });
    std::vector<const SupportActionInfo*> unlocked, locked;
    for (auto& a : *actions) (a.minTier <= tier ? unlocked : locked).push_back(&a);
    if (unlocked.empty()) {
        out << "support actions it would unlock: none (no loaded plugin registers a support action at tier " << tier
            << " or below).\n";
    } else {
        out << "support actions it would unlock (registered by the loaded plugins):\n";
        std::size_t width = 0;
        for (auto* a : unlocked) width = std::max(width, a->name.size());
        for (auto* a : unlocked)
            out << "  " << a->name << std::string(width - a->name.size() + 2, ' ') << "tier " << a->minTier << "  "
                << printable(a->description) << "  [" << a->plugin << "]\n";
    }
    if (!locked.empty()) {
        out << "still locked (need a higher tier):";
        for (std::size_t i = 0; i < locked.size(); ++i)
            out << (i ? ", " : " ") << locked[i]->name << " (tier " << locked[i]->minTier << ")";
        out << "\n";
    }
    out << "nothing was changed. To allow it: " << allowCommand(tier, minutesText, reason, tier >= kOperateTier)
        << "\n";
    return 0;
}

} // namespace

int supportAllow(ConsentService& service, Invocation& inv, const ActionLister& listActions) {
    auto& out = inv.out();
    auto& err = inv.err();
    const bool json = inv.flag("json");
    auto refuse = [&](const std::string& code, const std::string& line) {
        jsonError(inv, code, line);
        usage(inv, "support allow") << line << "\n";
        return 2;
    };
    int tier = 1;
    if (auto v = inv.value("tier")) {
        auto t = parseTier(*v);
        if (!t) return refuse("bad-tier", tierUsageLine());
        tier = *t;
    }
    std::int64_t minutes = kDefaultMinutes;
    bool saturated = false;
    std::string minutesText = std::to_string(kDefaultMinutes);
    if (auto v = inv.value("minutes")) {
        auto m = parseMinutes(*v);
        if (!m.valid) return refuse("bad-minutes", minutesUsageLine(service.maxMinutes()));
        minutes = m.minutes;
        saturated = m.saturated;
        minutesText = *v;
    }
    std::string reason = inv.value("reason").value_or("");
    if (inv.value("reason") && !reasonIsValid(reason)) return refuse("bad-reason", reasonUsageLine());
    if (inv.flag("dry-run")) return dryRun(service, inv, tier, minutes, minutesText, reason, listActions);

    GrantRequest request;
    request.tier = tier;
    request.minutes = minutes;
    request.confirmed = inv.flag("yes");
    request.reason = reason;
    request.actor = "owner";
    auto r = service.grant(request);
    if (!r.ok) {
        const bool usageError = r.error == "confirm-required" || r.error.rfind("bad-", 0) == 0;
        jsonError(inv, r.error, r.message);
        if (usageError) usage(inv, "support allow") << r.message << "\n";
        else err << r.message << "\n";
        if (r.error == "confirm-required") err << "  " << allowCommand(tier, minutesText, reason, true) << "\n";
        return usageError ? 2 : 1;
    }
    if (json) {
        // The body of POST /api/support/allow.
        const auto& g = r.status;
        auto o = json::object();
        o->set("ok", true);
        o->set("enabled", true);
        o->set("tier", g.tier);
        json::setTimeOrNull(o, "grantedAt", g.grantedAt);
        json::setTimeOrNull(o, "expiresAt", g.expiresAt);
        o->set("remainingMs", static_cast<Poco::Int64>(g.remainingMs));
        o->set("capped", r.capped);
        o->set("maxMinutes", static_cast<Poco::Int64>(r.maxMinutes));
        o->set("allows", tierDescription(g.tier));
        o->set("operatorEnabled", service.operatorEnabled());
        out << json::toText(o) << "\n";
        return 0;
    }
    const auto& s = r.status;
    out << kCheck << " wildws support allowed at tier " << s.tier << " for "
        << formatDuration(s.expiresAt - s.grantedAt) << " (max " << formatMaximum(r.maxMinutes) << ").\n";
    if (r.capped)
        out << "  you asked for " << (saturated ? "more than " : "") << formatDuration(minutes * 60000)
            << "; grants are capped at the maximum of "
            << formatMaximum(r.maxMinutes) << ".\n";
    out << "  tier " << s.tier << " = " << tierDescription(s.tier) << ".\n";
    out << "  expires at " << localTime(s.expiresAt) << ".\n";
    if (!s.reason.empty()) out << "  reason: " << printable(s.reason) << "\n";
    out << "  It auto-expires; revoke anytime with: wildws support revoke\n";
    if (!service.operatorStatus().enabled)
        out << "  note: operator access is off, so a support engineer cannot connect yet: wildws operator enable\n";
    return 0;
}

int supportRevoke(ConsentService& service, Invocation& inv) {
    RevokeOutcome o;
    try {
        o = service.revokeGrant("owner", "");
    } catch (const std::exception& e) {
        jsonError(inv, "revoke-failed", std::string("could not revoke support access: ") + e.what());
        inv.err() << "could not revoke support access: " << e.what() << "\n";
        return 1;
    }
    if (!o.auditError.empty())
        inv.err() << "warning: the audit feed could not record this revoke: " << o.auditError << "\n";
    if (inv.flag("json")) {
        // {"revoked"} as POST /api/support/revoke answers; wasLive: it was a live grant.
        auto j = json::object();
        j->set("revoked", o.existed);
        j->set("wasLive", o.wasLive);
        inv.out() << json::toText(j) << "\n";
        return 0;
    }
    if (o.wasLive) inv.out() << kCheck << " support access revoked.\n";
    else if (o.existed)
        inv.out() << "support access was not enabled (removed a grant file that was not live: "
                  << printable(o.offReason) << ").\n";
    else inv.out() << "support access was not enabled.\n";
    return 0;
}

int supportStatus(ConsentService& service, Invocation& inv) {
    auto s = service.status();
    auto& out = inv.out();
    if (inv.flag("json")) {
        out << json::toText(grantStatusJson(service, s)) << "\n";
        return 0;
    }
    if (s.enabled) {
        out << "support access: ON (tier " << s.tier << ") " << kDash << " " << formatDuration(s.remainingMs)
            << " remaining.\n";
        out << "  tier " << s.tier << " = " << tierDescription(s.tier) << ".\n";
        out << "  expires: " << localTime(s.expiresAt) << "\n";
        if (!s.reason.empty()) out << "  reason : " << printable(s.reason) << "\n";
        if (!service.operatorEnabled())
            out << "  note   : operator access is off, so a support engineer cannot connect yet: wildws operator "
                   "enable\n";
        out << "  revoke : wildws support revoke\n";
    } else if (s.offReason.empty()) {
        out << "support access: OFF (default).\n";
        out << "  allow  : wildws support allow --tier 1 --minutes 60\n";
    } else {
        out << "support access: OFF " << kDash << " " << offSentence(s) << ".\n";
        out << "  allow  : wildws support allow --tier 1 --minutes 60\n";
        if (s.offReason != "expired") out << "  remove : wildws support revoke\n";
    }
    out << "  file   : " << s.file << "\n";
    clockNote(service, out);
    return 0;
}

int supportAudit(ConsentService& service, Invocation& inv) {
    auto& out = inv.out();
    auto& err = inv.err();
    const bool json = inv.flag("json");
    std::size_t limit = kDefaultAuditLimit;
    if (auto v = inv.value("limit")) {
        if (inv.flag("verify")) {
            usage(inv, "support audit") << "--verify checks the whole chain, so it takes no --limit.\n";
            return 2;
        }
        if (!parseLimit(*v, limit)) {
            usage(inv, "support audit") << "limit must be a whole number from 1 to " << kMaxAuditLimit << ".\n";
            return 2;
        }
    }
    const auto& audit = service.audit();
    if (inv.flag("verify")) {
        AuditVerify v;
        try {
            v = audit.verify();
        } catch (const std::exception& e) {
            err << e.what() << "\n";
            return 1;
        }
        if (json) {
            auto o = json::object();
            o->set("ok", v.ok);
            o->set("entries", static_cast<Poco::UInt64>(v.entries));
            o->set("legacyLines", static_cast<Poco::UInt64>(v.legacyLines));
            o->set("chainStart", static_cast<Poco::UInt64>(v.chainStart));
            o->set("badLine", static_cast<Poco::UInt64>(v.badLine));
            o->set("problem", v.problem);
            o->set("tornTail", v.tornTail);
            o->set("head", v.head);
            o->set("file", audit.path());
            out << json::toText(o) << "\n";
            return v.ok ? 0 : 1;
        }
        if (v.missing) {
            out << "no support actions recorded yet: nothing to verify.\n";
            return 0;
        }
        auto legacyNote = [&] {
            if (v.legacyLines == 0) return;
            out << "  " << (v.legacyLines == 1 ? "line 1 is" : "lines 1-" + std::to_string(v.legacyLines) + " are")
                << " from before the hash chain (written by an older tool): listed by 'support audit', not verified.\n";
        };
        if (v.ok) {
            if (v.entries == 0 && v.legacyLines > 0)
                out << kCheck << " no hash chain yet: the " << v.legacyLines << " line"
                    << (v.legacyLines == 1 ? " is" : "s are")
                    << " from before it (written by an older tool), not verified; the chain begins with the next "
                       "entry.\n";
            else if (v.entries == 0) out << kCheck << " audit feed is empty: nothing to verify.\n";
            else {
                out << kCheck << " audit chain intact: " << v.entries << (v.entries == 1 ? " entry" : " entries");
                if (v.chainStart > 1) out << " from line " << v.chainStart << " (where the chain begins)";
                out << ", head " << v.head.substr(0, 12) << ".\n";
                legacyNote();
            }
            return 0;
        }
        if (v.tornTail)
            out << kCross << " audit feed line " << v.badLine << " is incomplete (a crash mid-write?); the next append "
                << "drops it and records that.\n";
        else
            out << kCross << " audit chain broken at line " << v.badLine << ": " << v.problem << ".\n";
        const std::size_t firstChained = v.chainStart ? v.chainStart : v.legacyLines + 1;
        if (v.badLine > firstChained)
            out << "  lines " << firstChained << "-" << (v.badLine - 1) << " verify"
                << (v.tornTail ? "." : "; do not trust line " + std::to_string(v.badLine) + " or anything after it.")
                << "\n";
        if (v.legacyLines > 0) legacyNote();
        out << "  file: " << audit.path() << "\n";
        return 1;
    }

    AuditRead read;
    try {
        read = audit.newest(limit);
    } catch (const std::exception& e) {
        err << e.what() << "\n";
        return 1;
    }
    if (json) {
        // The same shape as GET /api/support/audit (the seed's "audit" key).
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (auto& e : read.entries) list->add(common::auditEntryJson(e));
        auto root = json::object();
        root->set("audit", list);
        root->set("skipped", static_cast<Poco::UInt64>(read.skipped));
        root->set("unverified", static_cast<Poco::UInt64>(read.legacy));
        root->set("tornTail", read.tornTail);
        root->set("file", audit.path());
        out << json::toText(root) << "\n";
        return 0;
    }
    if (read.entries.empty()) {
        if (read.skipped == 0) out << "no support actions recorded yet.\n";
        else out << "no support actions found in the audit feed.\n";
    } else {
        out << "recent support actions (newest first):\n";
        for (auto& e : read.entries) {
            out << "  " << isoUtc(e.ts) << " " << (e.ok ? kCheck : kCross) << " " << printable(e.action) << " (tier "
                << (e.tier > 0 ? std::to_string(e.tier) : std::string("-")) << ")";
            if (!e.actor.empty()) out << " by " << printable(e.actor);
            if (!e.detail.empty()) out << " " << kDash << " " << printable(e.detail);
            if (e.legacy) out << " [unverified]";
            out << "\n";
        }
    }
    if (read.legacy > 0)
        out << "(" << read.legacy << (read.legacy == 1 ? " entry is" : " entries are")
            << " from before the hash chain (written by an older tool): listed, not verified)\n";
    if (read.skipped > 0)
        out << "(" << read.skipped << (read.skipped == 1 ? " line" : " lines")
            << " of the audit feed " << (read.skipped == 1 ? "is" : "are")
            << " not an audit entry and " << (read.skipped == 1 ? "was" : "were")
            << " skipped: see 'wildws support audit --verify')\n";
    if (read.tornTail)
        out << "(the last line of the audit feed is incomplete and was skipped: see 'wildws support audit --verify')\n";
    return 0;
}

/// `operator status --json`: {enabled, createdAt, fingerprint, offReason, file}.
json::Object operatorStatusJson(const OperatorState& s) {
    auto o = json::object();
    o->set("enabled", s.enabled);
    json::setTimeOrNull(o, "createdAt", s.enabled ? s.createdAt : 0);
    o->set("fingerprint", s.fingerprint);
    // null when nothing turned it off: the grant status's convention
    if (s.offReason.empty()) o->set("offReason", Poco::Dynamic::Var());
    else o->set("offReason", common::sanitizeUtf8(s.offReason));
    o->set("file", s.file);
    return o;
}

/// The install id support needs next to the token, when the relay plugin is
/// loaded (made now if this is the first time); "" without it.
std::string relayInstallId(Services& services) {
    auto relay = services.find<Relay>();
    if (!relay) return "";
    try {
        return relay->installId();
    } catch (const std::exception&) {
        return ""; // the relay's files are its own business
    }
}

int operatorEnable(ConsentService& service, Services& services, Invocation& inv) {
    OperatorEnableOutcome o;
    try {
        o = service.enableOperator("owner");
    } catch (const std::exception& e) {
        jsonError(inv, "enable-failed", e.what());
        inv.err() << e.what() << "\n";
        return 1;
    }
    auto& out = inv.out();
    if (inv.flag("json")) {
        // What the text says, in the shape of `operator status --json`.
        auto obj = operatorStatusJson(service.operatorStatus());
        obj->set("token", o.token);
        obj->set("replaced", o.replaced);
        auto id = relayInstallId(services);
        obj->set("installId", id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(id));
        out << json::toText(obj) << "\n";
        return 0;
    }
    out << kCheck << (o.replaced ? " operator token replaced (the previous one no longer works)."
                                 : " operator access enabled.")
        << " Give this token to wildws support; it is shown only now (only its hash is kept):\n";
    out << "  " << o.token << "\n";
    out << "  It works only while support access is allowed (wildws support allow); disable anytime with: wildws "
           "operator disable\n";
    return 0;
}

int operatorDisable(ConsentService& service, Invocation& inv) {
    OperatorDisableOutcome o;
    try {
        o = service.disableOperator("owner");
    } catch (const std::exception& e) {
        jsonError(inv, "disable-failed", std::string("could not disable operator access: ") + e.what());
        inv.err() << "could not disable operator access: " << e.what() << "\n";
        return 1;
    }
    if (inv.flag("json")) {
        auto j = json::object();
        j->set("disabled", o.existed); // a token was there and no longer works
        inv.out() << json::toText(j) << "\n";
        if (!o.auditError.empty())
            inv.err() << "warning: the audit feed could not record this: " << o.auditError << "\n";
        return 0;
    }
    if (o.existed) inv.out() << kCheck << " operator access disabled: the token no longer works.\n";
    else inv.out() << "operator access was not enabled.\n";
    if (!o.auditError.empty())
        inv.err() << "warning: the audit feed could not record this: " << o.auditError << "\n";
    return 0;
}

int operatorStatus(ConsentService& service, Invocation& inv) {
    auto s = service.operatorStatus();
    auto& out = inv.out();
    if (inv.flag("json")) {
        out << json::toText(operatorStatusJson(s)) << "\n";
        return 0;
    }
    if (s.enabled) {
        out << "operator access: ON (since " << localTime(s.createdAt) << ", token fingerprint " << s.fingerprint
            << ").\n";
        out << "  support can act only while support access is ON too: wildws support status\n";
        out << "  disable: wildws operator disable\n";
    } else if (s.offReason.empty()) {
        out << "operator access: OFF (default).\n";
        out << "  enable : wildws operator enable\n";
    } else {
        auto colon = s.offReason.find(": ");
        out << "operator access: OFF " << kDash << " the token file is "
            << (colon == std::string::npos ? printable(s.offReason)
                                           : s.offReason.substr(0, colon) + ": " + printable(s.offReason.substr(colon + 2)))
            << ".\n";
        out << "  enable : wildws operator enable\n";
    }
    out << "  file   : " << s.file << "\n";
    return 0;
}

/// The relay plugin's lines, when it is loaded (found through the SDK's Relay
/// service): `operator enable` prints the install id support needs next to
/// the token; `support status` says whether support can reach this install
/// through the relay and what it last asked. Never in --json output.
void relayNote(Services& services, Invocation& inv, bool afterEnable) {
    auto relay = services.find<Relay>();
    if (!relay || inv.flag("json")) return;
    try {
        if (afterEnable) relay->installId(); // made now if it is the first time: support needs it
        auto r = relay->state();
        if (afterEnable) {
            if (!r.installId.empty())
                inv.out() << "  install id: " << r.installId << "  (give it to support with the token"
                          << (r.configured ? ": they reach this install through the relay at " + r.url : "") << ")\n";
            return;
        }
        if (!r.configured) return;
        inv.out() << "  relay  : " << (r.connected ? "support is connected through the relay at " + r.url
                                                   : "not connected (" + (r.lastError.empty() ? std::string("operator access off or daemon not running") : r.lastError) + ")")
                  << "\n";
        if (r.lastRequestAt > 0)
            inv.out() << "  relayed: " << r.lastAction << " at " << localTime(r.lastRequestAt)
                      << (r.lastRequester.empty() ? "" : " (requester says '" + printable(r.lastRequester) + "')") << "\n";
    } catch (const std::exception&) {
        // The relay's files are its own business; status still works without them.
    }
}

std::vector<CommandSpec> commandSpecs(std::shared_ptr<ConsentService> service, Services& services) {
    ActionLister lister = [&services]() -> std::optional<std::vector<SupportActionInfo>> {
        auto host = services.find<HostApi>();
        if (!host) return std::nullopt;
        return host->supportActions();
    };
    auto bind = [service](int (*fn)(ConsentService&, Invocation&)) {
        return [service, fn](Invocation& inv) { return fn(*service, inv); };
    };
    std::vector<CommandSpec> specs;
    specs.push_back({"support allow",
                     "allow time-boxed support (works even when offline)",
                     {{"tier", "N", "tier must be 1..4 (1 = read-only diagnostics/logs, 2 = curated fixes, 3 = let "
                                    "support operate your agent, 4 = raw shell); default 1", {}},
                      {"minutes", "M", "minutes must be a positive whole number; default 60, capped at the maximum (8h unless "
                                       "lowered)", {}},
                      {"yes", "", "confirm tier 3 or 4", {}},
                      {"reason", "TEXT", "why, for the audit feed (one line, up to 200 characters)", {}},
                      {"dry-run", "", "list the support actions the tier would unlock now; change nothing", {}},
                      {"json", "", "print JSON (the body of POST /api/support/allow)", {}}},
                     {},
                     [service, lister](Invocation& inv) { return supportAllow(*service, inv, lister); }});
    specs.push_back({"support revoke",
                     "revoke support access now",
                     {{"json", "", "print {\"revoked\": bool, \"wasLive\": bool}", {}}},
                     {},
                     bind(&supportRevoke)});
    specs.push_back({"support status",
                     "is support access on, and for how long?",
                     {{"json", "", "print JSON", {}}},
                     {},
                     [service, &services](Invocation& inv) {
                         int rc = supportStatus(*service, inv);
                         relayNote(services, inv, false);
                         return rc;
                     }});
    specs.push_back({"support audit",
                     "show what support has done (the audit feed)",
                     {{"limit", "N", "how many of the newest entries (default 20, at most 10000)", {}},
                      {"json", "", "print JSON", {}},
                      {"verify", "", "check the whole hash chain and name the first bad line", {}}},
                     {},
                     bind(&supportAudit)});
    specs.push_back({"operator enable",
                     "let the wildws team help with your install (mints a token, shown once)",
                     {{"json", "", "print the operator status JSON plus token, replaced, installId", {}}},
                     {},
                     [service, &services](Invocation& inv) {
                         int rc = operatorEnable(*service, services, inv);
                         if (rc == 0) relayNote(services, inv, true);
                         return rc;
                     }});
    specs.push_back({"operator disable",
                     "revoke the support token",
                     {{"json", "", "print {\"disabled\": bool}", {}}},
                     {},
                     bind(&operatorDisable)});
    specs.push_back({"operator status",
                     "is the support channel on? (never prints the token)",
                     {{"json", "", "print JSON", {}}},
                     {},
                     bind(&operatorStatus)});
    return specs;
}

} // namespace wildws::consent
