#include "codex_parser.hpp"

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

Chunk toolUse(const Poco::JSON::Object::Ptr& item) {
    std::string kind = json::str(item, "type");
    Chunk c = make("tool-use");
    auto input = json::object();
    if (kind == "command_execution") {
        c.name = "shell";
        input->set("command", json::str(item, "command"));
    } else if (kind == "mcp_tool_call") {
        c.name = json::str(item, "server", "mcp") + "." + json::str(item, "tool", "tool");
        auto args = item->get("arguments");
        c.inputJson = args.isEmpty() ? "{}" : json::stringify(args);
        return c;
    } else if (kind == "web_search") {
        c.name = "web_search";
        input->set("query", json::str(item, "query"));
    } else if (kind == "file_change") {
        c.name = "file_change";
        auto changes = item->get("changes");
        if (!changes.isEmpty()) input->set("changes", changes);
    } else {
        c.name = kind;
    }
    c.inputJson = json::stringify(input);
    return c;
}

std::string mcpResultText(const Poco::JSON::Object::Ptr& item) {
    if (auto err = json::obj(item, "error")) return json::str(err, "message", "failed");
    auto result = json::obj(item, "result");
    auto content = json::arr(result, "content");
    std::string out;
    if (content)
        for (std::size_t i = 0; i < content->size(); ++i)
            if (auto b = content->getObject(static_cast<unsigned>(i))) {
                std::string t = json::str(b, "type") == "text" ? json::str(b, "text") : "[" + json::str(b, "type") + "]";
                out += (out.empty() ? "" : "\n") + t;
            }
    if (out.empty() && result && !result->isNull("structured_content")) out = json::stringify(result->get("structured_content"));
    return out;
}

std::string fileChangeSummary(const Poco::JSON::Object::Ptr& item) {
    std::string out;
    if (auto changes = json::arr(item, "changes"))
        for (std::size_t i = 0; i < changes->size(); ++i)
            if (auto ch = changes->getObject(static_cast<unsigned>(i)))
                out += (out.empty() ? "" : ", ") + json::str(ch, "kind", "update") + " " + json::str(ch, "path");
    return out;
}

} // namespace

void CodexParser::line(std::string_view text, std::vector<Chunk>& out) {
    std::size_t first = out.size();
    auto ev = json::parseObject(text);
    if (!ev) {
        Chunk c = make("stderr");
        c.text = validUtf8(text);
        out.push_back(std::move(c));
        return;
    }
    std::string type = json::str(ev, "type");
    if (type == "thread.started") {
        std::string id = json::str(ev, "thread_id");
        if (!id.empty() && id != threadId_) {
            threadId_ = id;
            stamped_ = false;
        }
    } else if (type == "turn.started") {
        turnStart_ = std::chrono::steady_clock::now();
    } else if (type == "turn.completed") {
        sawResult_ = true;
        Chunk u = make("usage");
        if (auto usage = json::obj(ev, "usage")) {
            std::int64_t in = json::integer(usage, "input_tokens", -1), outT = json::integer(usage, "output_tokens", -1);
            if (in >= 0 || outT >= 0) u.tokens = std::max<std::int64_t>(in, 0) + std::max<std::int64_t>(outT, 0);
        }
        u.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - turnStart_).count();
        u.resumeId = threadId_;
        out.push_back(std::move(u));
    } else if (type == "turn.failed") {
        sawResult_ = true;
        Chunk c = make("error");
        c.message = json::str(json::obj(ev, "error"), "message", "the turn failed");
        out.push_back(std::move(c));
    } else if (type == "error") {
        Chunk c = make("error");
        c.message = json::str(ev, "message", "codex reported an error");
        out.push_back(std::move(c));
    } else if (type == "item.started" || type == "item.completed") {
        auto item = json::obj(ev, "item");
        std::string kind = json::str(item, "type");
        std::string id = json::str(item, "id");
        bool isTool = kind == "command_execution" || kind == "mcp_tool_call" || kind == "web_search" ||
                      kind == "file_change" || kind == "collab_tool_call";
        if (type == "item.started") {
            if (isTool && started_.insert(id).second) out.push_back(toolUse(item));
        } else if (kind == "agent_message") {
            Chunk c = make("text");
            c.text = json::str(item, "text");
            if (!c.text.empty()) out.push_back(std::move(c));
        } else if (kind == "reasoning" || kind == "plan") {
            Chunk c = make("thinking");
            c.text = json::str(item, "text");
            if (!c.text.empty()) out.push_back(std::move(c));
        } else if (kind == "todo_list") {
            Chunk c = make("thinking");
            if (auto items = json::arr(item, "items"))
                for (std::size_t i = 0; i < items->size(); ++i)
                    if (auto t = items->getObject(static_cast<unsigned>(i)))
                        c.text += std::string(c.text.empty() ? "" : "\n") + (json::boolean(t, "completed") ? "[x] " : "[ ] ") +
                                  json::str(t, "text");
            if (!c.text.empty()) out.push_back(std::move(c));
        } else if (kind == "error") {
            Chunk c = make("stderr");
            c.text = "codex: " + json::str(item, "message");
            out.push_back(std::move(c));
        } else if (isTool) {
            if (started_.insert(id).second || id.empty()) out.push_back(toolUse(item));
            Chunk r = make("tool-result");
            std::string status = json::str(item, "status", "completed");
            r.ok = status == "completed";
            if (kind == "command_execution") {
                std::int64_t exitCode = json::integer(item, "exit_code", -1);
                r.ok = r.ok && exitCode == 0;
                std::string output = json::str(item, "aggregated_output");
                if (status == "declined") r.summary = "declined";
                else if (output.empty()) r.summary = "exit " + std::to_string(exitCode);
                else r.summary = output;
            } else if (kind == "mcp_tool_call") {
                r.ok = r.ok && json::isNull(item, "error");
                r.summary = mcpResultText(item);
            } else if (kind == "file_change") {
                r.summary = fileChangeSummary(item);
            } else if (kind == "web_search") {
                r.summary = json::str(item, "query");
            } else {
                r.summary = status;
            }
            r.summary = truncateUtf8(r.summary, kSummaryMax);
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
