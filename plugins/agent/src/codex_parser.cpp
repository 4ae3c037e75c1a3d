#include "codex_parser.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

namespace wildws::agent {
namespace {

constexpr std::size_t kSummaryMax = 4000;

Chunk toolUse(const Poco::JSON::Object::Ptr& item) {
    std::string kind = json::getString(item, "type").value_or("");
    Chunk c = makeChunk("tool-use");
    auto input = json::object();
    if (kind == "command_execution") {
        c.name = "shell";
        input->set("command", json::getString(item, "command").value_or(""));
    } else if (kind == "mcp_tool_call") {
        c.name = json::getString(item, "server").value_or("mcp") + "." + json::getString(item, "tool").value_or("tool");
        auto args = item->get("arguments");
        c.inputJson = args.isEmpty() ? "{}" : json::toText(args);
        return c;
    } else if (kind == "web_search") {
        c.name = "web_search";
        input->set("query", json::getString(item, "query").value_or(""));
    } else if (kind == "file_change") {
        c.name = "file_change";
        auto changes = item->get("changes");
        if (!changes.isEmpty()) input->set("changes", changes);
    } else {
        c.name = kind;
    }
    c.inputJson = json::toText(input);
    return c;
}

std::string mcpResultText(const Poco::JSON::Object::Ptr& item) {
    if (auto err = json::getObject(item, "error")) return json::getString(err, "message").value_or("failed");
    auto result = json::getObject(item, "result");
    auto content = json::getArray(result, "content");
    std::string out;
    if (content)
        for (std::size_t i = 0; i < content->size(); ++i)
            if (auto b = content->getObject(static_cast<unsigned>(i))) {
                std::string t = json::getString(b, "type").value_or("") == "text" ? json::getString(b, "text").value_or("") : "[" + json::getString(b, "type").value_or("") + "]";
                out += (out.empty() ? "" : "\n") + t;
            }
    if (out.empty() && result && !result->isNull("structured_content")) out = json::toText(result->get("structured_content"));
    return out;
}

std::string fileChangeSummary(const Poco::JSON::Object::Ptr& item) {
    std::string out;
    if (auto changes = json::getArray(item, "changes"))
        for (std::size_t i = 0; i < changes->size(); ++i)
            if (auto ch = changes->getObject(static_cast<unsigned>(i)))
                out += (out.empty() ? "" : ", ") + json::getString(ch, "kind").value_or("update") + " " + json::getString(ch, "path").value_or("");
    return out;
}

} // namespace

void CodexParser::line(std::string_view text, std::vector<Chunk>& out) {
    std::size_t first = out.size();
    auto ev = json::parseObject(text, json::ParseOptions::loose());
    if (!ev) {
        Chunk c = makeChunk("stderr");
        c.text = common::sanitizeUtf8(text);
        out.push_back(std::move(c));
        return;
    }
    std::string type = json::getString(ev, "type").value_or("");
    if (type == "thread.started") {
        std::string id = json::getString(ev, "thread_id").value_or("");
        if (!id.empty() && id != threadId_) {
            threadId_ = id;
            stamped_ = false;
        }
    } else if (type == "turn.started") {
        turnStart_ = std::chrono::steady_clock::now();
    } else if (type == "turn.completed") {
        sawResult_ = true;
        Chunk u = makeChunk("usage");
        if (auto usage = json::getObject(ev, "usage")) {
            std::int64_t in = json::getInt(usage, "input_tokens").value_or(-1), outT = json::getInt(usage, "output_tokens").value_or(-1);
            if (in >= 0 || outT >= 0) u.tokens = std::max<std::int64_t>(in, 0) + std::max<std::int64_t>(outT, 0);
        }
        u.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - turnStart_).count();
        u.resumeId = threadId_;
        out.push_back(std::move(u));
    } else if (type == "turn.failed") {
        sawResult_ = true;
        Chunk c = makeChunk("error");
        c.message = json::getString(json::getObject(ev, "error"), "message").value_or("the turn failed");
        out.push_back(std::move(c));
    } else if (type == "error") {
        Chunk c = makeChunk("error");
        c.message = json::getString(ev, "message").value_or("codex reported an error");
        out.push_back(std::move(c));
    } else if (type == "item.started" || type == "item.completed") {
        auto item = json::getObject(ev, "item");
        std::string kind = json::getString(item, "type").value_or("");
        std::string id = json::getString(item, "id").value_or("");
        bool isTool = kind == "command_execution" || kind == "mcp_tool_call" || kind == "web_search" ||
                      kind == "file_change" || kind == "collab_tool_call";
        if (type == "item.started") {
            if (isTool && started_.insert(id).second) out.push_back(toolUse(item));
        } else if (kind == "agent_message") {
            Chunk c = makeChunk("text");
            c.text = json::getString(item, "text").value_or("");
            if (!c.text.empty()) out.push_back(std::move(c));
        } else if (kind == "reasoning" || kind == "plan") {
            Chunk c = makeChunk("thinking");
            c.text = json::getString(item, "text").value_or("");
            if (!c.text.empty()) out.push_back(std::move(c));
        } else if (kind == "todo_list") {
            Chunk c = makeChunk("thinking");
            if (auto items = json::getArray(item, "items"))
                for (std::size_t i = 0; i < items->size(); ++i)
                    if (auto t = items->getObject(static_cast<unsigned>(i)))
                        c.text += std::string(c.text.empty() ? "" : "\n") + (json::getBool(t, "completed").value_or(false) ? "[x] " : "[ ] ") +
                                  json::getString(t, "text").value_or("");
            if (!c.text.empty()) out.push_back(std::move(c));
        } else if (kind == "error") {
            Chunk c = makeChunk("stderr");
            c.text = "codex: " + json::getString(item, "message").value_or("");
            out.push_back(std::move(c));
        } else if (isTool) {
            if (started_.insert(id).second || id.empty()) out.push_back(toolUse(item));
            Chunk r = makeChunk("tool-result");
            std::string status = json::getString(item, "status").value_or("completed");
            r.ok = status == "completed";
            if (kind == "command_execution") {
                std::int64_t exitCode = json::getInt(item, "exit_code").value_or(-1);
                r.ok = r.ok && exitCode == 0;
                std::string output = json::getString(item, "aggregated_output").value_or("");
                if (status == "declined") r.summary = "declined";
                else if (output.empty()) r.summary = "exit " + std::to_string(exitCode);
                else r.summary = output;
            } else if (kind == "mcp_tool_call") {
                r.ok = r.ok && json::isNull(item, "error");
                r.summary = mcpResultText(item);
            } else if (kind == "file_change") {
                r.summary = fileChangeSummary(item);
            } else if (kind == "web_search") {
                r.summary = json::getString(item, "query").value_or("");
            } else {
                r.summary = status;
            }
            r.summary = common::shortenUtf8(r.summary, kSummaryMax);
            out.push_back(std::move(r));
        }
    }
    // item.updated, item.plan.delta, request_user_input and unknown types: skipped.
    if (!stamped_ && !threadId_.empty() && first < out.size()) {
        out[first].resumeId = threadId_;
        stamped_ = true;
    }
}

} // namespace wildws::agent
