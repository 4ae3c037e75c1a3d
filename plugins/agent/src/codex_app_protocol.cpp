#include "codex_app_protocol.hpp"

#include "backends.hpp"
#include "json_util.hpp"
#include "text_util.hpp"

namespace wildws::agent {
namespace {

constexpr std::size_t kSummaryMax = 4000;

Chunk make(const char* type) {
    Chunk c;
    c.type = type;
    return c;
}

std::string q(const std::string& s) { return json::stringify(Poco::Dynamic::Var(s)); }

/// The id of a JSON-RPC message as a key ("7", "\"abc\""), and as sent.
std::string rawId(const Poco::JSON::Object::Ptr& o) {
    auto v = o->get("id");
    return v.isEmpty() ? "" : json::stringify(v);
}

std::string keyOf(const std::string& raw) {
    if (raw.size() >= 2 && raw.front() == '"') return raw.substr(1, raw.size() - 2);
    return raw;
}

std::string commandText(const Poco::JSON::Object::Ptr& o) {
    auto v = o->get("command");
    if (v.isString()) return v.extract<std::string>();
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
        auto a = v.extract<Poco::JSON::Array::Ptr>();
        std::string out;
        for (std::size_t i = 0; i < a->size(); ++i) {
            auto e = a->get(static_cast<unsigned>(i));
            out += (i ? " " : "") + (e.isString() ? e.extract<std::string>() : json::stringify(e));
        }
        return out;
    }
    return {};
}

} // namespace

CodexAppProtocol::CodexAppProtocol(const AgentRequest& r)
    : cwd_(r.cwd), sandbox_(r.mode == AgentMode::Plan ? "read-only" : "workspace-write"), resumeFrom_(r.resumeId) {}

std::string CodexAppProtocol::request(const std::string& method, const std::string& paramsJson, std::string* idOut) {
    std::string id = std::to_string(nextId_++);
    if (idOut) *idOut = id;
    return "{\"method\":" + q(method) + ",\"id\":" + id + (paramsJson.empty() ? "" : ",\"params\":" + paramsJson) + "}";
}

void CodexAppProtocol::open(std::vector<std::string>& writes) {
    writes.push_back(request("initialize", R"({"clientInfo":{"name":"wildws","title":"wildws","version":"0.1"}})", &initId_));
}

void CodexAppProtocol::startThread(std::vector<std::string>& writes) {
    auto p = json::object();
    p->set("cwd", cwd_);
    p->set("approvalPolicy", std::string("on-request"));
    p->set("sandbox", sandbox_);
    if (!resumeFrom_.empty() && !resuming_) {
        resuming_ = true;
        p->set("threadId", resumeFrom_);
        writes.push_back(request("thread/resume", json::stringify(p), &threadReqId_));
        return;
    }
    resuming_ = false;
    writes.push_back(request("thread/start", json::stringify(p), &threadReqId_));
}

void CodexAppProtocol::turn(const AgentRequest& r, std::vector<Chunk>&, std::vector<std::string>& writes) {
    inTurn_ = true;
    interrupting_ = turnError_ = false;
    tokens_ = -1;
    turnId_.clear();
    turnStart_ = std::chrono::steady_clock::now();
    std::string text = r.appendSystemPrompt.empty() ? r.prompt : r.appendSystemPrompt + "\n\n" + r.prompt;
    auto item = json::object();
    item->set("type", std::string("text"));
    item->set("text", text);
    Poco::JSON::Array::Ptr input = new Poco::JSON::Array;
    input->add(item);
    auto p = json::object();
    p->set("threadId", threadId_);
    p->set("input", input);
    writes.push_back(request("turn/start", json::stringify(p), &turnReqId_));
}

void CodexAppProtocol::response(const std::string& id, const std::string& text, std::vector<Chunk>& chunks,
                                std::vector<std::string>& writes) {
    auto ev = json::parseObject(text);
    auto err = json::obj(ev, "error");
    auto result = json::obj(ev, "result");
    if (id == initId_) {
        if (err) {
            Chunk e = make("error");
            e.message = "codex app-server refused to start: " + json::str(err, "message", "no reason given");
            chunks.push_back(std::move(e));
            endTurn(chunks, "failed");
            return;
        }
        writes.push_back(R"({"method":"initialized"})");
        startThread(writes);
        return;
    }
    if (id == threadReqId_) {
        std::string tid = json::str(json::obj(result, "thread"), "id");
        if (err || tid.empty()) {
            if (resuming_) {
                Chunk n = make("stderr");
                n.text = "wildws: codex could not resume thread " + resumeFrom_ + " (" +
                         json::str(err, "message", "no thread in its answer") + "): this prompt starts a new thread";
                chunks.push_back(std::move(n));
                startThread(writes);
                return;
            }
            Chunk e = make("error");
            e.message = "codex could not start a thread: " + json::str(err, "message", "no thread in its answer");
            if (e.message.find("trusted") != std::string::npos) e.message += " - " + codexTrustHint();
            chunks.push_back(std::move(e));
            endTurn(chunks, "failed");
            return;
        }
        threadId_ = tid;
        return;
    }
    if (id == turnReqId_) {
        if (err) {
            Chunk e = make("error");
            e.message = "codex refused the turn: " + json::str(err, "message", "no reason given");
            chunks.push_back(std::move(e));
            endTurn(chunks, "failed");
            return;
        }
        std::string t = json::str(json::obj(result, "turn"), "id");
        if (!t.empty()) turnId_ = t;
    }
    // turn/interrupt's {} and anything else: nothing to show.
}

void CodexAppProtocol::serverRequest(const std::string& method, const std::string& text, std::vector<Chunk>& chunks,
                                     std::vector<std::string>& writes) {
    auto ev = json::parseObject(text);
    std::string raw = rawId(ev);
    std::string key = keyOf(raw);
    auto p = json::obj(ev, "params");
    bool command = method == "item/commandExecution/requestApproval" || method == "execCommandApproval";
    bool patch = method == "item/fileChange/requestApproval" || method == "applyPatchApproval";
    if (!command && !patch) {
        writes.push_back("{\"id\":" + raw + ",\"error\":{\"code\":-32601,\"message\":" +
                         q("wildws does not handle " + method) + "}}");
        return;
    }
    if (asked_.count(key)) return;
    Asked a;
    a.rawId = raw;
    a.legacy = method == "execCommandApproval" || method == "applyPatchApproval";
    Chunk c = make("permission");
    c.requestId = key;
    auto input = json::object();
    std::string reason = json::str(p, "reason");
    if (command) {
        std::string cmd = commandText(p);
        c.name = "shell";
        input->set("command", cmd);
        input->set("cwd", json::str(p, "cwd", cwd_));
        c.title = "Codex wants to run " + cmd;
    } else {
        c.name = "apply_patch";
        std::string item = json::str(p, "itemId");
        if (auto it = changes_.find(item); it != changes_.end()) input->set("changes", json::parseObject("{\"c\":" + it->second + "}")->get("c"));
        else if (auto fc = p->get("fileChanges"); !fc.isEmpty()) input->set("changes", fc);
        if (!json::isNull(p, "grantRoot")) input->set("grantRoot", json::str(p, "grantRoot"));
        c.title = "Codex wants to change files";
    }
    if (!reason.empty()) input->set("reason", reason);
    c.inputJson = json::stringify(input);
    asked_.emplace(key, std::move(a));
    chunks.push_back(std::move(c));
}

void CodexAppProtocol::notification(const std::string& method, const std::string& text, std::vector<Chunk>& chunks) {
    auto ev = json::parseObject(text);
    auto p = json::obj(ev, "params");
    if (method == "item/started" || method == "item/completed") {
        auto item = json::obj(p, "item");
        std::string type = json::str(item, "type"), id = json::str(item, "id");
        bool done = method == "item/completed";
        auto toolUse = [&](const std::string& name, const std::string& inputJson) {
            if (started_.count(id)) return;
            started_.insert(id);
            Chunk c = make("tool-use");
            c.name = name;
            c.inputJson = inputJson;
            chunks.push_back(std::move(c));
        };
        if (type == "commandExecution") {
            auto in = json::object();
            in->set("command", commandText(item));
            toolUse("shell", json::stringify(in));
            if (done) {
                Chunk r = make("tool-result");
                r.ok = json::str(item, "status") == "completed" && json::integer(item, "exitCode", 0) == 0;
                r.summary = truncateUtf8(json::str(item, "aggregatedOutput"), kSummaryMax);
                chunks.push_back(std::move(r));
            }
        } else if (type == "fileChange") {
            auto ch = item->get("changes");
            std::string changes = ch.isEmpty() ? "[]" : json::stringify(ch);
            changes_[id] = changes;
            toolUse("file_change", "{\"changes\":" + changes + "}");
            if (done) {
                Chunk r = make("tool-result");
                r.ok = json::str(item, "status", "completed") == "completed";
                std::string paths;
                if (auto a = json::arr(item, "changes"))
                    for (std::size_t i = 0; i < a->size(); ++i) {
                        auto c = a->getObject(static_cast<unsigned>(i));
                        paths += (paths.empty() ? "" : "\n") + json::str(c, "kind", "update") + " " + json::str(c, "path");
                    }
                r.summary = truncateUtf8(paths, kSummaryMax);
                chunks.push_back(std::move(r));
            }
        } else if (type == "mcpToolCall") {
            auto args = item->get("arguments");
            toolUse(json::str(item, "server") + "." + json::str(item, "tool"), args.isEmpty() ? "{}" : json::stringify(args));
            if (done) {
                Chunk r = make("tool-result");
                r.ok = json::str(item, "status") == "completed";
                auto res = item->get("result");
                r.summary = truncateUtf8(res.isEmpty() ? json::str(json::obj(item, "error"), "message") : json::stringify(res), kSummaryMax);
                chunks.push_back(std::move(r));
            }
        } else if (type == "webSearch") {
            auto in = json::object();
            in->set("query", json::str(item, "query"));
            toolUse("web_search", json::stringify(in));
            if (done) {
                Chunk r = make("tool-result");
                r.summary = json::str(item, "query");
                chunks.push_back(std::move(r));
            }
        } else if (done && type == "agentMessage") {
            Chunk c = make("text");
            c.text = json::str(item, "text");
            if (!c.text.empty()) chunks.push_back(std::move(c));
        } else if (done && type == "reasoning") {
            std::string t = json::str(item, "text");
            if (t.empty())
                if (auto s = json::arr(item, "summary"))
                    for (std::size_t i = 0; i < s->size(); ++i) {
                        auto e = s->get(static_cast<unsigned>(i));
                        t += (t.empty() ? "" : "\n") + (e.isString() ? e.extract<std::string>() : json::stringify(e));
                    }
            if (!t.empty()) {
                Chunk c = make("thinking");
                c.text = t;
                chunks.push_back(std::move(c));
            }
        } else if (done && type == "plan") {
            Chunk c = make("thinking");
            c.text = json::str(item, "text");
            if (!c.text.empty()) chunks.push_back(std::move(c));
        }
        return;
    }
    if (method == "thread/tokenUsage/updated") {
        auto last = json::obj(json::obj(p, "tokenUsage"), "last");
        if (!last) last = json::obj(json::obj(p, "tokenUsage"), "total");
        std::int64_t t = json::integer(last, "totalTokens", -1);
        if (t < 0) t = json::integer(last, "inputTokens", 0) + json::integer(last, "outputTokens", 0);
        tokens_ = t;
        return;
    }
    if (method == "serverRequest/resolved") {
        auto v = p ? p->get("requestId") : Poco::Dynamic::Var();
        std::string key = v.isEmpty() ? "" : keyOf(json::stringify(v));
        if (asked_.erase(key)) {
            Chunk r = make("permission-resolved");
            r.requestId = key;
            r.decision = "deny";
            r.scope = "once";
            r.by = "agent";
            r.message = "codex withdrew the request";
            chunks.push_back(std::move(r));
        }
        return;
    }
    if (method == "error") {
        auto err = json::obj(p, "error");
        std::string msg = json::str(err, "message", json::str(p, "message", "codex reported an error"));
        if (json::boolean(p, "willRetry", false)) {
            Chunk c = make("stderr");
            c.text = "codex: " + msg;
            chunks.push_back(std::move(c));
        } else if (inTurn_) {
            Chunk c = make("error");
            c.message = msg;
            turnError_ = true;
            chunks.push_back(std::move(c));
        }
        return;
    }
    if (method == "turn/started") {
        std::string t = json::str(json::obj(p, "turn"), "id");
        if (!t.empty()) turnId_ = t;
        return;
    }
    if (method == "turn/completed") {
        auto t = json::obj(p, "turn");
        std::string status = json::str(t, "status");
        if (status == "failed") {
            Chunk e = make("error");
            e.message = json::str(json::obj(t, "error"), "message", "the turn failed");
            chunks.push_back(std::move(e));
            turnError_ = true;
        }
        Chunk u = make("usage");
        u.tokens = tokens_;
        u.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - turnStart_).count();
        chunks.push_back(std::move(u));
        endTurn(chunks, status == "interrupted" || interrupting_ ? "interrupted" : turnError_ ? "failed" : "completed");
        return;
    }
    // thread/started, configWarning, remoteControl/status/changed, deltas, ...: skipped.
}

void CodexAppProtocol::endTurn(std::vector<Chunk>& chunks, const std::string& reason) {
    Chunk end = make("end");
    end.code = 0;
    end.reason = reason;
    end.resumeId = threadId_;
    chunks.push_back(std::move(end));
    inTurn_ = interrupting_ = turnError_ = false;
    asked_.clear();
    started_.clear();
    changes_.clear();
}

void CodexAppProtocol::line(std::string_view text, std::vector<Chunk>& chunks, std::vector<std::string>& writes) {
    auto ev = json::parseObject(text);
    if (!ev) {
        Chunk c = make("stderr");
        c.text = validUtf8(text);
        chunks.push_back(std::move(c));
        return;
    }
    std::string method = json::str(ev, "method");
    bool hasId = !ev->get("id").isEmpty();
    std::string t(text);
    if (method.empty() && hasId) response(keyOf(rawId(ev)), t, chunks, writes);
    else if (!method.empty() && hasId) serverRequest(method, t, chunks, writes);
    else if (!method.empty()) notification(method, t, chunks);
}

void CodexAppProtocol::respond(const std::string& requestId, const AgentDecision& d, std::vector<Chunk>& chunks,
                               std::vector<std::string>& writes) {
    auto it = asked_.find(requestId);
    if (it == asked_.end()) return;
    Asked a = it->second;
    asked_.erase(it);
    bool allow = d.decision == "allow";
    bool session = d.scope == "session";
    std::string decision = a.legacy ? (allow ? (session ? "approved_for_session" : "approved") : (d.stop ? "abort" : "denied"))
                                    : (allow ? (session ? "acceptForSession" : "accept") : (d.stop ? "cancel" : "decline"));
    writes.push_back("{\"id\":" + a.rawId + ",\"result\":{\"decision\":" + q(decision) + "}}");
    Chunk c = make("permission-resolved");
    c.requestId = requestId;
    c.decision = allow ? "allow" : "deny";
    c.scope = session ? "session" : "once";
    c.by = d.by.empty() ? "owner" : d.by;
    c.message = d.message;
    chunks.push_back(std::move(c));
}

void CodexAppProtocol::interrupt(std::vector<Chunk>&, std::vector<std::string>& writes) {
    if (!inTurn_) return;
    interrupting_ = true;
    auto p = json::object();
    p->set("threadId", threadId_);
    p->set("turnId", turnId_);
    writes.push_back(request("turn/interrupt", json::stringify(p)));
}

} // namespace wildws::agent
