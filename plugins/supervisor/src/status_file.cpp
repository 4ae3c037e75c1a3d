#include "status_file.hpp"

#include "read_file.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <wildws/secure.hpp>

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <ctime>

namespace wildws::supervisor {
namespace {

// The status file keeps ms integers (its stored format); what a command
// prints (`always-on status --json`) carries ISO 8601 UTC or null.
enum class Times { StoredMs, OutputIso };

void setTime(Poco::JSON::Object::Ptr o, const std::string& key, std::int64_t ms, Times times) {
    if (times == Times::OutputIso) json::setTimeOrNull(o, key, ms);
    else o->set(key, ms);
}

Poco::JSON::Object::Ptr childJson(const ChildStatus& c, Times times) {
    auto o = json::object();
    o->set("state", c.state);
    o->set("safeMode", c.safeMode);
    o->set("adopted", c.adopted);
    o->set("pid", c.pid);
    o->set("startTime", c.startTime);
    o->set("port", c.port);
    o->set("starts", c.starts);
    o->set("restarts", c.restarts);
    if (c.lastExit) {
        auto e = json::object();
        e->set("kind", c.lastExit->kind);
        if (c.lastExit->kind == "code") e->set("code", c.lastExit->code);
        if (c.lastExit->kind == "signal") e->set("signal", c.lastExit->signal);
        setTime(e, "at", c.lastExit->at, times);
        e->set("cause", c.lastExit->cause);
        o->set("lastExit", e);
    } else {
        o->set("lastExit", Poco::Dynamic::Var());
    }
    setTime(o, "since", c.since, times);
    setTime(o, "nextStartAt", c.nextStartAt, times);
    o->set("reason", c.reason);
    return o;
}

ChildStatus childFrom(const std::string& name, const Poco::JSON::Object::Ptr& o) {
    ChildStatus c;
    c.name = name;
    c.state = json::getString(o, "state").value_or("stopped");
    c.safeMode = json::getBool(o, "safeMode").value_or(false);
    c.adopted = json::getBool(o, "adopted").value_or(false);
    c.pid = static_cast<int>(json::getInt(o, "pid").value_or(0));
    c.startTime = static_cast<std::uint64_t>(json::getInt(o, "startTime").value_or(0));
    c.port = static_cast<int>(json::getInt(o, "port").value_or(0));
    c.starts = static_cast<int>(json::getInt(o, "starts").value_or(0));
    c.restarts = static_cast<int>(json::getInt(o, "restarts").value_or(0));
    if (o->has("lastExit") && !o->get("lastExit").isEmpty()) {
        auto e = o->getObject("lastExit");
        if (e) {
            LastExit x;
            x.kind = json::getString(e, "kind").value_or("unknown");
            x.code = static_cast<int>(json::getInt(e, "code").value_or(0));
            x.signal = json::getString(e, "signal").value_or("");
            x.at = json::getInt(e, "at").value_or(0);
            x.cause = json::getString(e, "cause").value_or("");
            c.lastExit = x;
        }
    }
    c.since = json::getInt(o, "since").value_or(0);
    c.nextStartAt = json::getInt(o, "nextStartAt").value_or(0);
    c.reason = json::getString(o, "reason").value_or("");
    return c;
}

Poco::JSON::Object::Ptr safeModeJson(const SafeMode& m) {
    auto o = safeModeObject(m, true);
    Poco::JSON::Array::Ptr lines = new Poco::JSON::Array();
    for (auto& l : describe(m)) lines->add(l);
    o->set("lines", lines);
    return o;
}

std::string exitText(const LastExit& e) {
    if (e.kind == "code") return "code " + std::to_string(e.code);
    if (e.kind == "signal") return "signal " + e.signal;
    return "unknown";
}

} // namespace

std::string statusJson(const SupervisorStatus& s) {
    auto o = json::object();
    o->set("pid", s.pid);
    o->set("startTime", s.startTime);
    o->set("startedAt", s.startedAt);
    o->set("version", s.version);
    o->set("updatedAt", s.updatedAt);
    o->set("controlNonce", s.controlNonce);
    auto children = json::object();
    for (auto& c : s.children) children->set(c.name, childJson(c, Times::StoredMs));
    o->set("children", children);
    return json::toText(o) + "\n";
}

std::optional<SupervisorStatus> parseStatus(const std::string& text) {
    auto o = json::parseObject(text);
    if (!o) return std::nullopt;
    SupervisorStatus s;
    s.pid = static_cast<int>(json::getInt(o, "pid").value_or(0));
    s.startTime = static_cast<std::uint64_t>(json::getInt(o, "startTime").value_or(0));
    s.startedAt = json::getInt(o, "startedAt").value_or(0);
    s.version = json::getString(o, "version").value_or("");
    s.updatedAt = json::getInt(o, "updatedAt").value_or(0);
    s.controlNonce = json::getString(o, "controlNonce").value_or("");
    if (auto children = o->getObject("children"))
        for (const char* name : {"server", "daemon"})
            if (auto c = children->getObject(name)) s.children.push_back(childFrom(name, c));
    return s;
}

std::optional<SupervisorStatus> readStatus(const std::string& path) {
    auto text = readWholeFile(path);
    if (!text) return std::nullopt;
    return parseStatus(*text);
}

void writeStatus(const std::string& path, const SupervisorStatus& status) { writeFileAtomic(path, statusJson(status)); }

const ChildStatus* findChild(const SupervisorStatus& status, const std::string& name) {
    for (auto& c : status.children)
        if (c.name == name) return &c;
    return nullptr;
}

std::string statusReportJson(const std::optional<SupervisorStatus>& s, const std::optional<SafeMode>& safeMode,
                             std::int64_t nowMs) {
    auto o = json::object();
    o->set("running", s.has_value());
    if (s) {
        o->set("pid", s->pid);
        json::setTimeOrNull(o, "startedAt", s->startedAt);
        o->set("uptimeMs", nowMs - s->startedAt);
        o->set("version", s->version);
        auto children = json::object();
        for (auto& c : s->children) children->set(c.name, childJson(c, Times::OutputIso));
        o->set("children", children);
    } else {
        o->set("pid", Poco::Dynamic::Var());
        o->set("children", json::object());
    }
    if (safeMode) o->set("safeMode", safeModeJson(*safeMode));
    else o->set("safeMode", Poco::Dynamic::Var());
    return json::toText(o) + "\n";
}

std::string statusReportText(const std::optional<SupervisorStatus>& s, const std::optional<SafeMode>& safeMode,
                             std::int64_t nowMs) {
    std::string out;
    if (!s) {
        out += "always-on: not running\n";
    } else {
        out += "always-on: running (pid " + std::to_string(s->pid) + ", up " + formatDuration(nowMs - s->startedAt) +
               ")\n";
        for (auto& c : s->children) {
            std::string line = c.name + ": " + c.state + (c.safeMode && c.state == "running" ? " (safe mode)" : "") +
                               (c.adopted ? " (adopted)" : "");
            if (c.pid > 0 && (c.state == "running" || c.state == "starting")) line += ", pid " + std::to_string(c.pid);
            if (c.port > 0 && (c.state == "running" || c.state == "starting"))
                line += ", port " + std::to_string(c.port);
            if (c.state != "disabled") line += ", restarts " + std::to_string(c.restarts);
            if (c.lastExit) line += ", last exit " + exitText(*c.lastExit);
            if (c.since > 0) line += ", since " + common::localTime(c.since) + " (" + formatDuration(nowMs - c.since) + " ago)";
            out += line + "\n";
            if (c.state == "backoff" && c.nextStartAt > 0)
                out += "  next start in " + formatDuration(std::max<std::int64_t>(0, c.nextStartAt - nowMs)) + "\n";
            if (!c.reason.empty() && (c.state == "fatal" || c.state == "disabled" || c.state == "backoff"))
                out += "  reason: " + c.reason + "\n";
        }
    }
    if (safeMode)
        for (auto& line : describe(*safeMode)) out += "safe mode: " + line + "\n";
    if (safeMode && (!safeMode->disabled.empty() || safeMode->onlyFirstParty))
        out += "  run 'wildws always-on start --clear-safe-mode' to try it again\n";
    return out;
}

std::string formatDuration(std::int64_t ms) {
    if (ms < 0) ms = 0;
    std::int64_t s = ms / 1000;
    if (s < 60) return std::to_string(s) + "s";
    std::int64_t m = s / 60;
    if (m < 60) return std::to_string(m) + "m " + std::to_string(s % 60) + "s";
    std::int64_t h = m / 60;
    if (h < 24) return std::to_string(h) + "h " + std::to_string(m % 60) + "m";
    return std::to_string(h / 24) + "d " + std::to_string(h % 24) + "h";
}

} // namespace wildws::supervisor
