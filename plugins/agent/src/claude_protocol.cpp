#include "claude_protocol.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <Poco/JSON/Parser.h>

namespace wildws::agent {
namespace {

Poco::Dynamic::Var parse(const std::string& text) {
    try {
        Poco::JSON::Parser p;
        return p.parse(text);
    } catch (const std::exception&) {
        return {};
    }
}

std::string controlResponse(const std::string& requestId, const Poco::JSON::Object::Ptr& response) {
    auto inner = json::object();
    inner->set("subtype", std::string("success"));
    inner->set("request_id", requestId);
    inner->set("response", response);
    auto o = json::object();
    o->set("type", std::string("control_response"));
    o->set("response", inner);
    return json::toText(o);
}

std::string controlError(const std::string& requestId, const std::string& error) {
    auto inner = json::object();
    inner->set("subtype", std::string("error"));
    inner->set("request_id", requestId);
    inner->set("error", error);
    auto o = json::object();
    o->set("type", std::string("control_response"));
    o->set("response", inner);
    return json::toText(o);
}

/// The suggestions with every destination made "session": "allow for this
/// chat" must never write the owner's settings files.
Poco::JSON::Array::Ptr sessionRules(const std::string& tool, const std::string& suggestionsJson) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    auto v = parse(suggestionsJson);
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
        auto a = v.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < a->size(); ++i) {
            auto s = a->getObject(static_cast<unsigned>(i));
            if (!s) continue;
            s->set("destination", std::string("session"));
            out->add(s);
        }
    }
    if (out->size() == 0) {
        auto rule = json::object();
        rule->set("toolName", tool);
        Poco::JSON::Array::Ptr rules = new Poco::JSON::Array;
        rules->add(rule);
        auto u = json::object();
        u->set("type", std::string("addRules"));
        u->set("rules", rules);
        u->set("behavior", std::string("allow"));
        u->set("destination", std::string("session"));
        out->add(u);
    }
    return out;
}

} // namespace

void ClaudeProtocol::open(std::vector<std::string>& writes) {
    initId_ = "wildws_init_" + std::to_string(nextId_++);
    auto request = json::object();
    request->set("subtype", std::string("initialize"));
    request->set("hooks", Poco::Dynamic::Var());
    auto o = json::object();
    o->set("type", std::string("control_request"));
    o->set("request_id", initId_);
    o->set("request", request);
    writes.push_back(json::toText(o));
}

void ClaudeProtocol::turn(const AgentRequest& r, std::vector<Chunk>&, std::vector<std::string>& writes) {
    parser_.newTurn();
    inTurn_ = true;
    interrupting_ = turnError_ = false;
    auto message = json::object();
    message->set("role", std::string("user"));
    if (r.images.empty()) {
        message->set("content", r.prompt);
    } else {
        Poco::JSON::Array::Ptr blocks = new Poco::JSON::Array;
        for (auto& img : r.images) {
            auto source = json::object();
            source->set("type", std::string("base64"));
            source->set("media_type", img.mediaType);
            source->set("data", img.data);
            auto b = json::object();
            b->set("type", std::string("image"));
            b->set("source", source);
            blocks->add(b);
        }
        auto t = json::object();
        t->set("type", std::string("text"));
        t->set("text", r.prompt);
        blocks->add(t);
        message->set("content", blocks);
    }
    auto o = json::object();
    o->set("type", std::string("user"));
    o->set("message", message);
    o->set("parent_tool_use_id", Poco::Dynamic::Var());
    o->set("session_id", parser_.sessionId().empty() ? std::string("default") : parser_.sessionId());
    writes.push_back(json::toText(o));
}

void ClaudeProtocol::controlRequest(const std::string& id, const std::string& text, std::vector<Chunk>& chunks,
                                    std::vector<std::string>& writes) {
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    auto req = json::getObject(ev, "request");
    std::string subtype = json::getString(req, "subtype").value_or("");
    if (subtype != "can_use_tool") {
        writes.push_back(controlError(id, "wildws does not handle '" + subtype + "' requests"));
        return;
    }
    if (asked_.count(id)) return; // a repeat (pending_permission_requests after a reconnect)
    Asked a;
    a.tool = json::getString(req, "tool_name").value_or("tool");
    auto input = req->get("input");
    a.inputJson = input.isEmpty() ? "{}" : json::toText(input);
    auto sugg = req->get("permission_suggestions");
    a.suggestionsJson = sugg.isEmpty() ? "null" : json::toText(sugg);
    Chunk c;
    c.requestId = id;
    if (a.tool == "AskUserQuestion") {
        a.question = true;
        c.type = "question";
        auto in = json::getObject(req, "input");
        auto qs = in ? in->get("questions") : Poco::Dynamic::Var();
        c.detailJson = qs.isEmpty() ? "[]" : json::toText(qs);
    } else {
        c.type = "permission";
        c.name = a.tool;
        c.inputJson = a.inputJson;
        c.title = json::getString(req, "title").value_or("");
        if (c.title.empty()) c.title = json::getString(req, "display_name").value_or("");
        if (c.title.empty()) c.title = "Claude wants to use " + a.tool;
        c.detailJson = a.suggestionsJson;
    }
    asked_.emplace(id, std::move(a));
    chunks.push_back(std::move(c));
}

void ClaudeProtocol::line(std::string_view text, std::vector<Chunk>& chunks, std::vector<std::string>& writes) {
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    std::string type = ev ? json::getString(ev, "type").value_or("") : "";
    if (type == "control_response") {
        auto resp = json::getObject(ev, "response");
        std::string id = json::getString(resp, "request_id").value_or("");
        if (id == initId_ && !ready_) {
            ready_ = true;
            if (json::getString(resp, "subtype").value_or("") == "error") {
                Chunk e = makeChunk("error");
                e.message = "claude refused to start the session: " + json::getString(resp, "error").value_or("no reason given");
                chunks.push_back(std::move(e));
                turnError_ = true;
            }
        }
        return; // interrupt's answer ({still_queued}) needs nothing
    }
    if (type == "control_request") {
        controlRequest(json::getString(ev, "request_id").value_or(""), std::string(text), chunks, writes);
        return;
    }
    if (type == "control_cancel_request") {
        std::string id = json::getString(ev, "request_id").value_or("");
        if (asked_.erase(id)) {
            Chunk r = makeChunk("permission-resolved");
            r.requestId = id;
            r.decision = "deny";
            r.scope = "once";
            r.by = "agent";
            r.message = "the agent withdrew the request";
            chunks.push_back(std::move(r));
        }
        return;
    }
    std::size_t from = chunks.size();
    parser_.line(text, chunks);
    if (!parser_.sawFinalResult()) {
        for (std::size_t i = from; i < chunks.size(); ++i) turnError_ = turnError_ || chunks[i].type == "error";
        return;
    }
    if (interrupting_) {
        // An interrupted turn's result says "error_during_execution" or the
        // like: that is the Stop the owner asked for, not a failure.
        std::vector<Chunk> kept;
        for (std::size_t i = from; i < chunks.size(); ++i)
            if (chunks[i].type != "error") kept.push_back(std::move(chunks[i]));
        chunks.resize(from);
        for (auto& k : kept) chunks.push_back(std::move(k));
    } else {
        for (std::size_t i = from; i < chunks.size(); ++i) turnError_ = turnError_ || chunks[i].type == "error";
    }
    endTurn(chunks);
}

void ClaudeProtocol::endTurn(std::vector<Chunk>& chunks) {
    Chunk end = makeChunk("end");
    end.code = 0;
    end.reason = interrupting_ ? "interrupted" : turnError_ ? "failed" : "completed";
    end.resumeId = parser_.sessionId();
    chunks.push_back(std::move(end));
    inTurn_ = interrupting_ = turnError_ = false;
    asked_.clear();
    parser_.newTurn();
}

void ClaudeProtocol::respond(const std::string& id, const AgentDecision& d, std::vector<Chunk>& chunks,
                             std::vector<std::string>& writes) {
    auto it = asked_.find(id);
    if (it == asked_.end()) return;
    Asked a = std::move(it->second);
    asked_.erase(it);
    auto r = json::object();
    bool allow = d.decision == "allow";
    if (allow) {
        r->set("behavior", std::string("allow"));
        auto input = parse(a.inputJson);
        Poco::JSON::Object::Ptr in = input.type() == typeid(Poco::JSON::Object::Ptr)
                                         ? input.extract<Poco::JSON::Object::Ptr>()
                                         : json::object();
        if (a.question) {
            auto answers = parse(d.answersJson);
            if (!answers.isEmpty()) in->set("answers", answers);
        }
        r->set("updatedInput", in);
        if (d.scope == "session" && !a.question) r->set("updatedPermissions", sessionRules(a.tool, a.suggestionsJson));
    } else {
        r->set("behavior", std::string("deny"));
        r->set("message", d.message.empty() ? std::string("The owner declined this.") : d.message);
        if (d.stop) r->set("interrupt", true);
    }
    writes.push_back(controlResponse(id, r));
    Chunk c = makeChunk("permission-resolved");
    c.requestId = id;
    c.decision = allow ? "allow" : "deny";
    c.scope = d.scope == "session" ? "session" : "once";
    c.by = d.by.empty() ? "owner" : d.by;
    c.message = d.message;
    chunks.push_back(std::move(c));
}

void ClaudeProtocol::interrupt(std::vector<Chunk>&, std::vector<std::string>& writes) {
    if (!inTurn_) return;
    interrupting_ = true;
    auto request = json::object();
    request->set("subtype", std::string("interrupt"));
    auto o = json::object();
    o->set("type", std::string("control_request"));
    o->set("request_id", "wildws_int_" + std::to_string(nextId_++));
    o->set("request", request);
    writes.push_back(json::toText(o));
}

} // namespace wildws::agent
