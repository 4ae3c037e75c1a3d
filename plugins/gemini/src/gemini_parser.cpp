#include "gemini_parser.hpp"

#include "json.hpp"

namespace wildws::gemini {
namespace {

constexpr std::size_t kSummaryMax = 4000;

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

/// gemini colours some stderr lines (ESC [ ... m); compare without them.
std::string withoutEscapes(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
            i += 2;
            while (i < s.size() && !(s[i] >= '@' && s[i] <= '~')) ++i;
            continue;
        }
        out += s[i];
    }
    return out;
}

std::string errorMessage(const Poco::JSON::Object::Ptr& ev) {
    if (ev && ev->has("error")) {
        try {
            auto e = ev->getObject("error");
            std::string m = json::str(e, "message");
            if (!m.empty()) return m;
        } catch (const std::exception&) {
        }
    }
    return {};
}

} // namespace

std::string notSignedInLine() {
    return "Gemini CLI is not signed in: set GEMINI_API_KEY (or GOOGLE_GENAI_USE_VERTEXAI=true or "
           "GOOGLE_GENAI_USE_GCA=true) for wildws, or run `gemini` once in a terminal and choose how to sign in";
}

void GeminiParser::stamp(std::vector<Chunk>& out, std::size_t from) {
    if (stamped_ || sessionId_.empty() || from >= out.size()) return;
    out[from].resumeId = sessionId_;
    stamped_ = true;
}

void GeminiParser::line(std::string_view text, std::vector<Chunk>& out) {
    std::size_t first = out.size();
    auto ev = json::parseObject(text);
    if (!ev) {
        // gemini writes its diagnostics to stderr; anything else on stdout is
        // shown as it is rather than lost.
        Chunk c = makeChunk("stderr");
        c.text = json::validUtf8(text);
        out.push_back(std::move(c));
        return;
    }
    std::string type = json::str(ev, "type");
    if (type == "init") {
        std::string id = json::str(ev, "session_id");
        if (!id.empty() && id != sessionId_) {
            sessionId_ = id;
            stamped_ = false;
        }
    } else if (type == "message") {
        // The user's own prompt is echoed with role "user": the owner knows it.
        if (json::str(ev, "role") == "assistant") {
            std::string content = json::str(ev, "content");
            if (!content.empty()) {
                Chunk c = makeChunk("text");
                c.text = json::validUtf8(content);
                out.push_back(std::move(c));
            }
        }
    } else if (type == "tool_use") {
        Chunk c = makeChunk("tool-use");
        c.name = json::validUtf8(json::str(ev, "tool_name", "tool"));
        c.inputJson = json::raw(ev, "parameters");
        out.push_back(std::move(c));
    } else if (type == "tool_result") {
        Chunk c = makeChunk("tool-result");
        c.ok = json::str(ev, "status") == "success";
        std::string summary = json::str(ev, "output");
        if (summary.empty()) summary = errorMessage(ev);
        c.summary = json::truncate(json::validUtf8(summary), kSummaryMax);
        out.push_back(std::move(c));
    } else if (type == "error") {
        // "warning" (a loop detected, a blocked hook) does not end the run.
        std::string message = json::validUtf8(json::str(ev, "message", "gemini reported an error"));
        if (json::str(ev, "severity") == "warning") {
            Chunk c = makeChunk("stderr");
            c.text = "gemini: " + message;
            out.push_back(std::move(c));
        } else {
            out.push_back(errorChunk(message));
        }
    } else if (type == "result") {
        if (json::str(ev, "status") != "success") {
            std::string m = errorMessage(ev);
            out.push_back(errorChunk(m.empty() ? "Gemini CLI reported a failed turn" : json::validUtf8(m)));
        }
        Chunk u = makeChunk("usage");
        if (ev->has("stats")) {
            try {
                auto stats = ev->getObject("stats");
                double tokens = json::num(stats, "total_tokens");
                if (tokens < 0) {
                    double in = json::num(stats, "input_tokens"), outTokens = json::num(stats, "output_tokens");
                    if (in >= 0 && outTokens >= 0) tokens = in + outTokens;
                }
                u.tokens = tokens < 0 ? -1 : static_cast<std::int64_t>(tokens);
                double ms = json::num(stats, "duration_ms");
                u.durationMs = ms < 0 ? -1 : static_cast<std::int64_t>(ms);
            } catch (const std::exception&) {
            }
        }
        out.push_back(std::move(u)); // gemini reports no cost: costUsd stays unknown
        final_ = true;
    }
    // Unknown types (a newer gemini) are skipped.
    stamp(out, first);
}

void GeminiParser::stderrLine(std::string_view raw, std::vector<Chunk>& out) {
    if (explained_ || final_) return;
    std::string text = withoutEscapes(raw);
    std::string_view line = text;
    std::size_t first = out.size();
    if (startsWith(line, "Please set an Auth method") ||
        contains(line, "you must specify the GEMINI_API_KEY environment variable") ||
        contains(line, "When using Vertex AI, you must specify")) {
        out.push_back(errorChunk(notSignedInLine()));
    } else if (contains(line, "is not running in a trusted directory")) {
        out.push_back(errorChunk("Gemini CLI does not trust this working directory: run `gemini` there once in a "
                            "terminal and trust it, or set [plugin.gemini] skip_trust = true"));
    } else {
        return;
    }
    // The run's outcome is known: the runner adds no second error.
    explained_ = final_ = true;
    stamp(out, first);
}

} // namespace wildws::gemini
