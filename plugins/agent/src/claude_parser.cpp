#include "claude_parser.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

namespace wildws::agent {
namespace {

constexpr std::size_t kSummaryMax = 4000;

/// tool_result content: a string, or blocks of {type:text,text} / images.
std::string contentText(const Poco::Dynamic::Var& content) {
    if (content.isString()) return content.extract<std::string>();
    if (content.type() != typeid(Poco::JSON::Array::Ptr)) return {};
    auto blocks = content.extract<Poco::JSON::Array::Ptr>();
    std::string out;
    for (std::size_t i = 0; i < blocks->size(); ++i) {
        auto b = blocks->getObject(static_cast<unsigned>(i));
        if (!b) continue;
        std::string type = json::getString(b, "type").value_or("");
        std::string piece = type == "text" ? json::getString(b, "text").value_or("") : "[" + type + "]";
        if (!out.empty() && !piece.empty()) out += "\n";
        out += piece;
    }
    return out;
}

std::string resultError(const Poco::JSON::Object::Ptr& ev) {
    std::string text = common::trim(json::getString(ev, "result").value_or(""));
    if (!text.empty()) return text;
    if (auto errors = json::getArray(ev, "errors")) {
        std::string joined;
        for (std::size_t i = 0; i < errors->size(); ++i) {
            auto e = errors->get(static_cast<unsigned>(i));
            std::string s = e.isString() ? e.extract<std::string>() : json::toText(e);
            joined += (joined.empty() ? "" : "; ") + s;
        }
        if (!joined.empty()) return joined;
    }
    std::string sub = json::getString(ev, "subtype").value_or("error");
    if (sub == "error_max_turns") return "the agent stopped after reaching its maximum number of turns";
    if (sub == "error_max_budget_usd") return "the agent stopped after reaching its budget limit";
    if (sub == "error_during_execution") return "the agent failed during execution";
    return "the agent reported an error (" + sub + ")";
}

} // namespace

void ClaudeParser::stamp(std::vector<Chunk>& out, std::size_t from) {
    if (stamped_ || sessionId_.empty() || from >= out.size()) return;
    out[from].resumeId = sessionId_;
    stamped_ = true;
}

void ClaudeParser::line(std::string_view text, std::vector<Chunk>& out) {
    std::size_t first = out.size();
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    if (!ev) {
        Chunk c = makeChunk("stderr");
        c.text = common::sanitizeUtf8(text);
        out.push_back(std::move(c));
        return;
    }
    std::string type = json::getString(ev, "type").value_or("");
    bool subagent = !json::isNull(ev, "parent_tool_use_id");

    if (type == "system") {
        if (json::getString(ev, "subtype").value_or("") == "init") {
            std::string id = json::getString(ev, "session_id").value_or("");
            if (!id.empty() && id != sessionId_) {
                sessionId_ = id;
                stamped_ = false;
            }
        }
        return;
    }
    if (type == "assistant") {
        auto message = json::getObject(ev, "message");
        auto content = json::getArray(message, "content");
        std::string apiError = json::getString(ev, "error").value_or("");
        if (!apiError.empty()) {
            std::string text;
            if (content)
                for (std::size_t i = 0; i < content->size(); ++i)
                    if (auto b = content->getObject(static_cast<unsigned>(i)); b && json::getString(b, "type").value_or("") == "text")
                        text += json::getString(b, "text").value_or("");
            Chunk c = makeChunk("error");
            c.message = text.empty() ? "the agent's API call failed: " + apiError : text;
            lastError_ = c.message;
            out.push_back(std::move(c));
            stamp(out, first);
            return;
        }
        if (!content) return;
        for (std::size_t i = 0; i < content->size(); ++i) {
            auto b = content->getObject(static_cast<unsigned>(i));
            if (!b) continue;
            std::string bt = json::getString(b, "type").value_or("");
            if (bt == "text") {
                std::string t = json::getString(b, "text").value_or("");
                if (t.empty()) continue;
                Chunk c = makeChunk(subagent ? "thinking" : "text");
                c.text = subagent ? "[subagent] " + t : t;
                if (!subagent) sawText_ = true;
                out.push_back(std::move(c));
            } else if (bt == "thinking") {
                std::string t = json::getString(b, "thinking").value_or("");
                if (t.empty()) continue;
                Chunk c = makeChunk("thinking");
                c.text = subagent ? "[subagent] " + t : t;
                out.push_back(std::move(c));
            } else if (bt == "tool_use" || bt == "server_tool_use") {
                Chunk c = makeChunk("tool-use");
                c.name = json::getString(b, "name").value_or("tool");
                auto input = b->get("input");
                c.inputJson = input.isEmpty() ? "{}" : json::toText(input);
                out.push_back(std::move(c));
            }
            // redacted_thinking, images and future block types: skipped
        }
        stamp(out, first);
        return;
    }
    if (type == "user") {
        auto message = json::getObject(ev, "message");
        auto content = json::getArray(message, "content");
        if (!content) return; // a replayed plain user message
        for (std::size_t i = 0; i < content->size(); ++i) {
            auto b = content->getObject(static_cast<unsigned>(i));
            if (!b || json::getString(b, "type").value_or("") != "tool_result") continue;
            Chunk c = makeChunk("tool-result");
            c.ok = !json::getBool(b, "is_error").value_or(false);
            c.summary = common::shortenUtf8(contentText(b->get("content")), kSummaryMax);
            out.push_back(std::move(c));
        }
        stamp(out, first);
        return;
    }
    if (type == "result") {
        sawResult_ = true;
        std::string id = json::getString(ev, "session_id").value_or("");
        if (!id.empty()) sessionId_ = id;
        bool failed = json::getBool(ev, "is_error").value_or(false) || json::getString(ev, "subtype").value_or("").rfind("error", 0) == 0;
        if (failed) {
            Chunk c = makeChunk("error");
            c.message = resultError(ev);
            if (c.message != lastError_) out.push_back(std::move(c));
        } else if (!sawText_) {
            // Nothing was said in assistant messages: the result is the answer.
            std::string t = json::getString(ev, "result").value_or("");
            if (!t.empty()) {
                Chunk c = makeChunk("text");
                c.text = t;
                out.push_back(std::move(c));
                sawText_ = true;
            }
        }
        if (auto denials = json::getArray(ev, "permission_denials"); denials && denials->size() > 0) {
            std::string names;
            for (std::size_t i = 0; i < denials->size(); ++i) {
                auto d = denials->getObject(static_cast<unsigned>(i));
                std::string n = json::getString(d, "tool_name").value_or("a tool");
                if (names.find(n) == std::string::npos) names += (names.empty() ? "" : ", ") + n;
            }
            Chunk c = makeChunk("stderr");
            c.text = "claude was not allowed to use: " + names +
                     " (see [plugin.agent] claude_build_permission_mode)";
            out.push_back(std::move(c));
        }
        Chunk u = makeChunk("usage");
        u.costUsd = json::getNumber(ev, "total_cost_usd").value_or(-1);
        u.durationMs = json::getInt(ev, "duration_ms").value_or(-1);
        if (auto usage = json::getObject(ev, "usage")) {
            std::int64_t total = 0;
            bool any = false;
            for (const char* k : {"input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"}) {
                std::int64_t v = json::getInt(usage, k).value_or(-1);
                if (v >= 0) {
                    total += v;
                    any = true;
                }
            }
            u.tokens = any ? total : -1;
        }
        u.resumeId = sessionId_;
        out.push_back(std::move(u));
        stamp(out, first);
        return;
    }
    // stream_event, rate_limit_event, control_request/response, tool_progress,
    // keep_alive and any future type: not part of the transcript.
}

} // namespace wildws::agent
