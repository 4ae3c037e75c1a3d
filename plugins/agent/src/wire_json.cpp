#include "wire_json.hpp"

#include <wildws/common/json.hpp>

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wildws::agent {
namespace {

std::string stringify(const Poco::Dynamic::Var& v) { return json::toText(v); }

Poco::Dynamic::Var parsed(const std::string& text) {
    try {
        Poco::JSON::Parser p;
        return p.parse(text);
    } catch (const std::exception&) {
        return {};
    }
}

Poco::JSON::Object::Ptr metaObject(const ConversationMeta& m, const LiveState& state, const char* type,
                                   bool withPending) {
    bool running = state.running;
    auto o = json::object();
    if (type) o->set("type", std::string(type));
    o->set("id", m.id);
    o->set("title", m.title);
    o->set("agent", m.agent);
    o->set("mode", m.mode);
    o->set("cwd", m.cwd);
    o->set("turns", m.turns);
    json::setTimeOrNull(o, "createdAt", m.createdAt); // the index keeps ms; output is ISO
    json::setTimeOrNull(o, "updatedAt", m.updatedAt);
    o->set("resumable", !m.resumeId.empty());
    o->set("running", running);
    o->set("live", state.live);
    o->set("waiting", !state.pending.empty());
    if (withPending) {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (auto& c : state.pending) list->add(parsed(toJson(c)));
        o->set("pending", list);
    }
    if (m.lastReason.empty()) o->set("lastEnd", Poco::Dynamic::Var());
    else {
        auto end = json::object();
        end->set("code", m.lastCode);
        end->set("reason", m.lastReason);
        o->set("lastEnd", end);
    }
    return o;
}

} // namespace

std::string agentsJson(const std::vector<BackendRow>& rows) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    Poco::Dynamic::Var def;
    for (auto& r : rows) {
        auto o = json::object();
        o->set("id", r.id);
        o->set("name", r.name);
        o->set("found", r.detection.found);
        o->set("path", r.detection.path);
        o->set("version", r.detection.version);
        o->set("reason", r.detection.reason);
        o->set("installHint", r.detection.installHint);
        o->set("canResume", r.canResume);
        o->set("protocol", r.protocol);
        auto caps = json::object();
        caps->set("interactive", r.caps.interactive);
        caps->set("permissions", r.caps.permissions);
        caps->set("questions", r.caps.questions);
        caps->set("interrupt", r.caps.interrupt);
        caps->set("followUp", r.caps.followUp);
        caps->set("images", r.caps.images);
        o->set("capabilities", caps);
        o->set("default", r.isDefault);
        o->set("signedIn", r.signedIn ? Poco::Dynamic::Var(*r.signedIn) : Poco::Dynamic::Var());
        if (r.signedIn == false) o->set("signInHint", r.signInHint);
        if (r.isDefault) def = r.id;
        list->add(o);
    }
    auto root = json::object();
    root->set("agents", list);
    root->set("default", def);
    return stringify(root);
}

std::string startLineJson(const Chunk& start, bool resumed, const std::string& notice, bool live) {
    auto o = json::object();
    o->set("type", std::string("start"));
    o->set("sessionId", start.sessionId);
    o->set("agent", start.agent);
    o->set("resumed", resumed);
    o->set("live", live);
    if (!notice.empty()) o->set("notice", notice);
    if (!start.resumeId.empty()) o->set("resumeId", start.resumeId);
    return stringify(o);
}

std::string metaJson(const ConversationMeta& meta, const LiveState& state, const char* type, bool withPending) {
    return stringify(metaObject(meta, state, type, withPending));
}

std::string sessionsJson(const std::vector<ConversationMeta>& metas, const std::vector<LiveState>& states) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (std::size_t i = 0; i < metas.size(); ++i)
        list->add(metaObject(metas[i], i < states.size() ? states[i] : LiveState{}, nullptr, false));
    auto root = json::object();
    root->set("sessions", list);
    return stringify(root);
}

} // namespace wildws::agent
