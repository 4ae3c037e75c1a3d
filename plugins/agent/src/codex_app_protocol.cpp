#include "codex_app_protocol.hpp"

#include "backends.hpp"
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

namespace wildws::agent {
namespace {

constexpr std::size_t kSummaryMax = 4000;

std::string q(const std::string& s) { return json::toText(Poco::Dynamic::Var(s)); }

/// The id of a JSON-RPC message as a key ("7", "\"abc\""), and as sent.
std::string rawId(const Poco::JSON::Object::Ptr& o) {
    auto v = o->get("id");
    return v.isEmpty() ? "" : json::toText(v);
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
            out += (i ? " " : "") + (e.isString() ? e.extract<std::string>() : json::toText(e));
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
        writes.push_back(request("thread/resume", json::toText(p), &threadReqId_));
        return;
    }
    resuming_ = false;
    writes.push_back(request("thread/start", json::toText(p), &threadReqId_));
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
    writes.push_back(request("turn/start", json::toText(p), &turnReqId_));
}

void CodexAppProtocol::response(const std::string& id, const std::string& text, std::vector<Chunk>& chunks,
                                std::vector<std::string>& writes) {
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    auto err = json::getObject(ev, "error");
    auto result = json::getObject(ev, "result");
    if (id == initId_) {
        if (err) {
            Chunk e = makeChunk("error");
            e.message = "codex app-server refused to start: " + json::getString(err, "message").value_or("no reason given");
            chunks.push_back(std::move(e));
            endTurn(chunks, "failed");
            return;
        }
        writes.push_back(R"({"method":"initialized"})");
        startThread(writes);
        return;
    }
    if (id == threadReqId_) {
        std::string tid = json::getString(json::getObject(result, "thread"), "id").value_or("");
        if (err || tid.empty()) {
            if (resuming_) {
                Chunk n = makeChunk("stderr");
                n.text = "wildws: codex could not resume thread " + resumeFrom_ + " (" +
                         json::getString(err, "message").value_or("no thread in its answer") + "): this prompt starts a new thread";
                chunks.push_back(std::move(n));
                startThread(writes);
                return;
            }
            Chunk e = makeChunk("error");
            e.message = "codex could not start a thread: " + json::getString(err, "message").value_or("no thread in its answer");
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
            Chunk e = makeChunk("error");
            e.message = "codex refused the turn: " + json::getString(err, "message").value_or("no reason given");
            chunks.push_back(std::move(e));
            endTurn(chunks, "failed");
            return;
        }
        std::string t = json::getString(json::getObject(result, "turn"), "id").value_or("");
        if (!t.empty()) turnId_ = t;
    }
    // turn/interrupt's {} and anything else: nothing to show.
}

void CodexAppProtocol::serverRequest(const std::string& method, const std::string& text, std::vector<Chunk>& chunks,
                                     std::vector<std::string>& writes) {
    // In codex's key order: what it asked for is echoed back as it was written.
    auto options = json::ParseOptions::loose();
    options.keepKeyOrder = true;
    auto ev = json::parseObject(text, options);
    std::string raw = rawId(ev);
    std::string key = keyOf(raw);
    auto p = json::getObject(ev, "params");
    bool command = method == "item/commandExecution/requestApproval" || method == "execCommandApproval";
    bool patch = method == "item/fileChange/requestApproval" || method == "applyPatchApproval";
    bool permissions = method == "item/permissions/requestApproval";
    bool question = method == "item/tool/requestUserInput";
    if (!command && !patch && !permissions && !question) {
        writes.push_back("{\"id\":" + raw + ",\"error\":{\"code\":-32601,\"message\":" +
                         q("wildws does not handle " + method) + "}}");
        return;
    }
    if (asked_.count(key)) return;
    Asked a;
    a.rawId = raw;
    if (permissions) {
        a.kind = Kind::Permissions;
        askPermissions(key, std::move(a), p, chunks);
        return;
    }
    if (question) {
        a.kind = Kind::Question;
        askQuestions(key, std::move(a), p, chunks);
        return;
    }
    a.kind = method == "execCommandApproval" || method == "applyPatchApproval" ? Kind::LegacyApproval : Kind::Approval;
    Chunk c = makeChunk("permission");
    c.requestId = key;
    auto input = json::object();
    std::string reason = json::getString(p, "reason").value_or("");
    if (command) {
        std::string cmd = commandText(p);
        c.name = "shell";
        input->set("command", cmd);
        input->set("cwd", json::getString(p, "cwd").value_or(cwd_));
        c.title = "Codex wants to run " + cmd;
    } else {
        c.name = "apply_patch";
        std::string item = json::getString(p, "itemId").value_or("");
        if (auto it = changes_.find(item); it != changes_.end()) input->set("changes", json::parseObject("{\"c\":" + it->second + "}", json::ParseOptions::loose())->get("c"));
        else if (auto fc = p->get("fileChanges"); !fc.isEmpty()) input->set("changes", fc);
        if (!json::isNull(p, "grantRoot")) input->set("grantRoot", json::getString(p, "grantRoot").value_or(""));
        c.title = "Codex wants to change files";
    }
    if (!reason.empty()) input->set("reason", reason);
    c.inputJson = json::toText(input);
    asked_.emplace(key, std::move(a));
    chunks.push_back(std::move(c));
}

namespace {

/// "network access, write /a, read /b": what a permissions request asks for.
std::string permissionsSummary(const Poco::JSON::Object::Ptr& profile) {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
    if (json::getBool(json::getObject(profile, "network"), "enabled").value_or(false)) add("network access");
    auto fs = json::getObject(profile, "fileSystem");
    for (const char* access : {"write", "read"})
        if (auto paths = json::getArray(fs, access))
            for (std::size_t i = 0; i < paths->size(); ++i) {
                auto v = paths->get(static_cast<unsigned>(i));
                if (v.isString()) add(std::string(access) + " " + v.extract<std::string>());
            }
    if (auto entries = json::getArray(fs, "entries"))
        for (std::size_t i = 0; i < entries->size(); ++i) {
            auto e = entries->getObject(static_cast<unsigned>(i));
            auto path = json::getObject(e, "path");
            std::string where = json::getString(path, "path").value_or(json::getString(path, "pattern").value_or(""));
            if (where.empty()) where = json::getString(json::getObject(path, "value"), "kind").value_or("a special path");
            add(json::getString(e, "access").value_or("access") + " " + where);
        }
    return out;
}

} // namespace

void CodexAppProtocol::askPermissions(const std::string& key, Asked a, const Poco::JSON::Object::Ptr& p,
                                      std::vector<Chunk>& chunks) {
    // Allowed, codex gets back exactly what it asked for.
    auto profile = json::getObject(p, "permissions");
    a.requestedJson = profile ? json::toText(profile) : "{}";
    Chunk c = makeChunk("permission");
    c.requestId = key;
    c.name = "permissions";
    auto input = json::object();
    input->set("permissions", profile ? profile : json::object());
    std::string reason = json::getString(p, "reason").value_or("");
    if (!reason.empty()) input->set("reason", reason);
    input->set("cwd", json::getString(p, "cwd").value_or(cwd_));
    c.inputJson = json::toText(input);
    std::string what = permissionsSummary(profile);
    c.title = "Codex asks for more permissions" + (what.empty() ? std::string() : ": " + what);
    asked_.emplace(key, std::move(a));
    chunks.push_back(std::move(c));
}

void CodexAppProtocol::askQuestions(const std::string& key, Asked a, const Poco::JSON::Object::Ptr& p,
                                    std::vector<Chunk>& chunks) {
    // The chunk's shape is Claude's AskUserQuestion ({question, header,
    // options, multiSelect}); codex's id, isOther and isSecret ride along.
    auto out = json::array();
    if (auto qs = json::getArray(p, "questions"))
        for (std::size_t i = 0; i < qs->size(); ++i) {
            auto in = qs->getObject(static_cast<unsigned>(i));
            if (!in) continue;
            std::string id = json::getString(in, "id").value_or(std::to_string(i));
            std::string text = json::getString(in, "question").value_or("");
            auto options = json::array();
            if (auto opts = json::getArray(in, "options"))
                for (std::size_t j = 0; j < opts->size(); ++j) {
                    auto o = opts->getObject(static_cast<unsigned>(j));
                    if (!o) continue;
                    auto option = json::object();
                    option->set("label", json::getString(o, "label").value_or(""));
                    option->set("description", json::getString(o, "description").value_or(""));
                    options->add(option);
                }
            auto qo = json::object();
            qo->set("id", id);
            qo->set("question", text);
            qo->set("header", json::getString(in, "header").value_or(""));
            qo->set("options", options);
            qo->set("multiSelect", false);
            qo->set("isOther", json::getBool(in, "isOther").value_or(false));
            qo->set("isSecret", json::getBool(in, "isSecret").value_or(false));
            out->add(qo);
            a.questions.emplace_back(id, text);
        }
    Chunk c = makeChunk("question");
    c.requestId = key;
    c.detailJson = json::toText(out);
    asked_.emplace(key, std::move(a));
    chunks.push_back(std::move(c));
}

std::string CodexAppProtocol::resultFor(const Asked& a, const AgentDecision& d) {
    bool allow = d.decision == "allow";
    bool session = d.scope == "session";
    if (a.kind == Kind::Permissions)
        return std::string("{\"permissions\":") + (allow ? a.requestedJson : "{}") + ",\"scope\":" +
               (allow && session ? "\"session\"" : "\"turn\"") + "}";
    if (a.kind == Kind::Question) {
        auto answers = json::object();
        json::Object given;
        if (allow) given = json::parseObject(d.answersJson);
        // In codex's question order; each answer keyed by the question's text
        // (the page's shape) or by codex's id.
        for (auto& [id, text] : a.questions) {
            auto v = given ? (given->has(text) ? given->get(text) : given->get(id)) : Poco::Dynamic::Var();
            if (!v.isString()) continue;
            auto list = json::array();
            list->add(v.extract<std::string>());
            auto one = json::object();
            one->set("answers", list);
            answers->set(id, one);
        }
        return "{\"answers\":" + json::toText(answers) + "}";
    }
    std::string decision = a.kind == Kind::LegacyApproval
                               ? (allow ? (session ? "approved_for_session" : "approved") : (d.stop ? "abort" : "denied"))
                               : (allow ? (session ? "acceptForSession" : "accept") : (d.stop ? "cancel" : "decline"));
    return "{\"decision\":" + q(decision) + "}";
}

void CodexAppProtocol::notification(const std::string& method, const std::string& text, std::vector<Chunk>& chunks) {
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    auto p = json::getObject(ev, "params");
    if (method == "item/started" || method == "item/completed") {
        auto item = json::getObject(p, "item");
        std::string type = json::getString(item, "type").value_or(""), id = json::getString(item, "id").value_or("");
        bool done = method == "item/completed";
        auto toolUse = [&](const std::string& name, const std::string& inputJson) {
            if (started_.count(id)) return;
            started_.insert(id);
            Chunk c = makeChunk("tool-use");
            c.name = name;
            c.inputJson = inputJson;
            chunks.push_back(std::move(c));
        };
        if (type == "commandExecution") {
            auto in = json::object();
            in->set("command", commandText(item));
            toolUse("shell", json::toText(in));
            if (done) {
                Chunk r = makeChunk("tool-result");
                r.ok = json::getString(item, "status").value_or("") == "completed" && json::getInt(item, "exitCode").value_or(0) == 0;
                r.summary = common::shortenUtf8(json::getString(item, "aggregatedOutput").value_or(""), kSummaryMax);
                chunks.push_back(std::move(r));
            }
        } else if (type == "fileChange") {
            auto ch = item->get("changes");
            std::string changes = ch.isEmpty() ? "[]" : json::toText(ch);
            changes_[id] = changes;
            toolUse("file_change", "{\"changes\":" + changes + "}");
            if (done) {
                Chunk r = makeChunk("tool-result");
                r.ok = json::getString(item, "status").value_or("completed") == "completed";
                std::string paths;
                if (auto a = json::getArray(item, "changes"))
                    for (std::size_t i = 0; i < a->size(); ++i) {
                        auto c = a->getObject(static_cast<unsigned>(i));
                        paths += (paths.empty() ? "" : "\n") + json::getString(c, "kind").value_or("update") + " " + json::getString(c, "path").value_or("");
                    }
                r.summary = common::shortenUtf8(paths, kSummaryMax);
                chunks.push_back(std::move(r));
            }
        } else if (type == "mcpToolCall") {
            auto args = item->get("arguments");
            toolUse(json::getString(item, "server").value_or("") + "." + json::getString(item, "tool").value_or(""), args.isEmpty() ? "{}" : json::toText(args));
            if (done) {
                Chunk r = makeChunk("tool-result");
                r.ok = json::getString(item, "status").value_or("") == "completed";
                auto res = item->get("result");
                r.summary = common::shortenUtf8(res.isEmpty() ? json::getString(json::getObject(item, "error"), "message").value_or("") : json::toText(res), kSummaryMax);
                chunks.push_back(std::move(r));
            }
        } else if (type == "webSearch") {
            auto in = json::object();
            in->set("query", json::getString(item, "query").value_or(""));
            toolUse("web_search", json::toText(in));
            if (done) {
                Chunk r = makeChunk("tool-result");
                r.summary = json::getString(item, "query").value_or("");
                chunks.push_back(std::move(r));
            }
        } else if (done && type == "agentMessage") {
            Chunk c = makeChunk("text");
            c.text = json::getString(item, "text").value_or("");
            if (!c.text.empty()) chunks.push_back(std::move(c));
        } else if (done && type == "reasoning") {
            std::string t = json::getString(item, "text").value_or("");
            if (t.empty())
                if (auto s = json::getArray(item, "summary"))
                    for (std::size_t i = 0; i < s->size(); ++i) {
                        auto e = s->get(static_cast<unsigned>(i));
                        t += (t.empty() ? "" : "\n") + (e.isString() ? e.extract<std::string>() : json::toText(e));
                    }
            if (!t.empty()) {
                Chunk c = makeChunk("thinking");
                c.text = t;
                chunks.push_back(std::move(c));
            }
        } else if (done && type == "plan") {
            Chunk c = makeChunk("thinking");
            c.text = json::getString(item, "text").value_or("");
            if (!c.text.empty()) chunks.push_back(std::move(c));
        }
        return;
    }
    if (method == "thread/tokenUsage/updated") {
        auto last = json::getObject(json::getObject(p, "tokenUsage"), "last");
        if (!last) last = json::getObject(json::getObject(p, "tokenUsage"), "total");
        std::int64_t t = json::getInt(last, "totalTokens").value_or(-1);
        if (t < 0) t = json::getInt(last, "inputTokens").value_or(0) + json::getInt(last, "outputTokens").value_or(0);
        tokens_ = t;
        return;
    }
    if (method == "serverRequest/resolved") {
        auto v = p ? p->get("requestId") : Poco::Dynamic::Var();
        std::string key = v.isEmpty() ? "" : keyOf(json::toText(v));
        if (asked_.erase(key)) {
            Chunk r = makeChunk("permission-resolved");
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
        auto err = json::getObject(p, "error");
        std::string msg = json::getString(err, "message").value_or(json::getString(p, "message").value_or("codex reported an error"));
        if (json::getBool(p, "willRetry").value_or(false)) {
            Chunk c = makeChunk("stderr");
            c.text = "codex: " + msg;
            chunks.push_back(std::move(c));
        } else if (inTurn_) {
            Chunk c = makeChunk("error");
            c.message = msg;
            turnError_ = true;
            chunks.push_back(std::move(c));
        }
        return;
    }
    if (method == "turn/started") {
        std::string t = json::getString(json::getObject(p, "turn"), "id").value_or("");
        if (!t.empty()) turnId_ = t;
        return;
    }
    if (method == "turn/completed") {
        auto t = json::getObject(p, "turn");
        std::string status = json::getString(t, "status").value_or("");
        if (status == "failed") {
            Chunk e = makeChunk("error");
            e.message = json::getString(json::getObject(t, "error"), "message").value_or("the turn failed");
            chunks.push_back(std::move(e));
            turnError_ = true;
        }
        Chunk u = makeChunk("usage");
        u.tokens = tokens_;
        u.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - turnStart_).count();
        chunks.push_back(std::move(u));
        endTurn(chunks, status == "interrupted" || interrupting_ ? "interrupted" : turnError_ ? "failed" : "completed");
        return;
    }
    // thread/started, configWarning, remoteControl/status/changed, deltas, ...: skipped.
}

void CodexAppProtocol::endTurn(std::vector<Chunk>& chunks, const std::string& reason) {
    Chunk end = makeChunk("end");
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
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    if (!ev) {
        Chunk c = makeChunk("stderr");
        c.text = common::sanitizeUtf8(text);
        chunks.push_back(std::move(c));
        return;
    }
    std::string method = json::getString(ev, "method").value_or("");
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
    bool session = d.scope == "session" && a.kind != Kind::Question;
    writes.push_back("{\"id\":" + a.rawId + ",\"result\":" + resultFor(a, d) + "}");
    Chunk c = makeChunk("permission-resolved");
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
    writes.push_back(request("turn/interrupt", json::toText(p)));
}

} // namespace wildws::agent
