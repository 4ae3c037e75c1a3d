// The three output parsers against recorded transcripts in the real formats.
#include "support.hpp"

#include "claude_parser.hpp"
#include "codex_parser.hpp"
#include "command_parser.hpp"

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::agent;

namespace {

std::vector<Chunk> parseAll(AgentOutputParser& p, const std::vector<std::string>& lines) {
    std::vector<Chunk> out;
    for (auto& l : lines) p.line(l, out);
    return out;
}

} // namespace

TEST_CASE("claude: a tool-use transcript maps to text, thinking, tools, subagent lines and usage", "[parser][claude]") {
    ClaudeParser p;
    auto chunks = parseAll(p, at::transcript("claude_tool_use", "sess-42"));
    std::vector<std::string> expected = {"thinking", "text",        "tool-use", "tool-result", "tool-use",
                                         "thinking", "tool-use",    "tool-result", "tool-result", "tool-use",
                                         "tool-result", "text",     "usage"};
    CHECK(at::types(chunks) == expected);
    REQUIRE(chunks.size() == expected.size());
    CHECK(chunks[0].text == "The user wants the failing test fixed. Let me run the suite first.");
    CHECK(chunks[1].text == "I'll run the test suite to see what fails.");
    CHECK(chunks[2].name == "Bash");
    CHECK(chunks[2].inputJson == R"({"command":"npm test -- --run","description":"Run the test suite"})");
    CHECK_FALSE(chunks[3].ok);
    CHECK(chunks[3].summary.find("expected 5 to be 4") != std::string::npos);
    CHECK(chunks[4].name == "Task");
    // The subagent's words are intermediate: thinking, marked; its tools pass through.
    CHECK(chunks[5].text == "[subagent] Searching for the sum helper.");
    CHECK(chunks[6].name == "Grep");
    CHECK(chunks[7].ok);
    CHECK(chunks[7].summary == "src/sum.js:1:export function sum(a, b) { return a + b + 1; }");
    CHECK(chunks[8].summary == "sum() is defined in src/sum.js and adds an extra 1.");
    CHECK(chunks[9].name == "Edit");
    CHECK(chunks[11].text == "Fixed: `sum()` added an extra 1. The test passes now.");
    auto& usage = chunks[12];
    CHECK(usage.costUsd == Approx(0.04125));
    CHECK(usage.tokens == 28 + 6200 + 48000 + 512);
    CHECK(usage.durationMs == 18234);
    CHECK(p.sawFinalResult());
    // The resume id rides on the first chunk after init and on usage.
    CHECK(chunks[0].resumeId == "sess-42");
    CHECK(chunks[1].resumeId.empty());
    CHECK(usage.resumeId == "sess-42");
}

TEST_CASE("claude: an error result is an error chunk plus usage, and denied tools are named", "[parser][claude]") {
    ClaudeParser p;
    auto chunks = parseAll(p, at::transcript("claude_error_result"));
    CHECK(at::types(chunks) ==
          std::vector<std::string>{"text", "tool-use", "tool-result", "error", "stderr", "usage"});
    CHECK(at::findType(chunks, "error")->message == "the agent stopped after reaching its maximum number of turns");
    CHECK(at::findType(chunks, "stderr")->text.find("not allowed to use: Bash") != std::string::npos);
    CHECK(p.sawFinalResult());
}

TEST_CASE("claude: an API error is reported once", "[parser][claude]") {
    ClaudeParser p;
    auto chunks = parseAll(p, at::transcript("claude_api_error"));
    CHECK(at::types(chunks) == std::vector<std::string>{"error", "usage"});
    CHECK(chunks[0].message.rfind("API Error: 529", 0) == 0);
    CHECK(p.sawFinalResult());
}

TEST_CASE("claude: a stream without a result is not a final result", "[parser][claude]") {
    ClaudeParser p;
    auto chunks = parseAll(p, at::transcript("claude_no_result"));
    CHECK(at::types(chunks) == std::vector<std::string>{"text", "tool-use"});
    CHECK_FALSE(p.sawFinalResult());
}

TEST_CASE("claude: junk lines become stderr, unknown types and partial messages are skipped", "[parser][claude]") {
    ClaudeParser p;
    std::vector<Chunk> out;
    p.line("not json", out);
    p.line("{\"type\":\"assistant\",\"message\":", out);
    p.line("[1,2]", out);
    p.line("{}", out);
    p.line("{\"type\":\"assistant\"}", out);
    p.line("{\"type\":\"assistant\",\"message\":{\"content\":\"a string, not blocks\"}}", out);
    p.line("{\"type\":\"user\",\"message\":{\"content\":\"replayed prompt\"}}", out);
    p.line("{\"type\":\"control_request\",\"request_id\":\"r1\",\"request\":{\"subtype\":\"interrupt\"}}", out);
    p.line("{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"x\"},{\"type\":\"image\"}]}}", out);
    CHECK(at::types(out) == std::vector<std::string>{"stderr", "stderr", "stderr"});
    CHECK(out[0].text == "not json");
    CHECK_FALSE(p.sawFinalResult());
}

TEST_CASE("claude: a result with no assistant text becomes the answer", "[parser][claude]") {
    ClaudeParser p;
    std::vector<Chunk> out;
    p.line(R"({"type":"result","subtype":"success","is_error":false,"result":"42","session_id":"s"})", out);
    CHECK(at::types(out) == std::vector<std::string>{"text", "usage"});
    CHECK(out[0].text == "42");
    CHECK(out[1].costUsd < 0);
    CHECK(out[1].tokens < 0);
}

TEST_CASE("codex: a tool-use transcript maps items to chunks", "[parser][codex]") {
    CodexParser p;
    auto chunks = parseAll(p, at::transcript("codex_tool_use", "thread-9"));
    std::vector<std::string> expected = {"thinking", "tool-use", "tool-result", "tool-use",    "tool-result",
                                         "tool-use", "tool-result", "tool-use", "tool-result", "stderr",
                                         "thinking", "text",     "usage"};
    CHECK(at::types(chunks) == expected);
    REQUIRE(chunks.size() == expected.size());
    CHECK(chunks[0].resumeId == "thread-9");
    CHECK(chunks[1].name == "shell");
    CHECK(chunks[1].inputJson == R"({"command":"bash -lc 'npm test'"})");
    CHECK_FALSE(chunks[2].ok);
    CHECK(chunks[2].summary.find("expected 5 to be 4") != std::string::npos);
    CHECK(chunks[3].name == "github.search_code");
    CHECK(chunks[3].inputJson == R"({"q":"function sum repo:dev/project"})");
    CHECK(chunks[4].ok);
    CHECK(chunks[4].summary == "src/sum.js");
    CHECK(chunks[5].name == "file_change");
    CHECK(chunks[6].summary == "update src/sum.js");
    CHECK(chunks[7].name == "web_search");
    CHECK(chunks[9].text.find("model metadata") != std::string::npos);
    CHECK(chunks[10].text == "[x] Find sum()\n[x] Fix it");
    CHECK(chunks[11].text == "Fixed `sum()` in src/sum.js; the tests pass now.");
    CHECK(chunks[12].tokens == 24763 + 122);
    CHECK(chunks[12].costUsd < 0);
    CHECK(chunks[12].durationMs >= 0);
    CHECK(chunks[12].resumeId == "thread-9");
    CHECK(p.sawFinalResult());
}

TEST_CASE("codex: turn.failed and error events are errors and end the turn", "[parser][codex]") {
    CodexParser p;
    auto chunks = parseAll(p, at::transcript("codex_turn_failed"));
    CHECK(at::types(chunks) == std::vector<std::string>{"thinking", "error", "error"});
    CHECK(chunks[2].message.find("stream disconnected") != std::string::npos);
    CHECK(p.sawFinalResult());
}

TEST_CASE("codex: no turn.completed means no final result", "[parser][codex]") {
    CodexParser p;
    auto chunks = parseAll(p, at::transcript("codex_no_result"));
    CHECK(at::types(chunks) == std::vector<std::string>{"text"});
    CHECK_FALSE(p.sawFinalResult());
}

TEST_CASE("command: every line is a text chunk with its newline, invalid UTF-8 repaired", "[parser][command]") {
    CommandParser p;
    std::vector<Chunk> out;
    p.line("hello", out);
    p.line("{\"looks\":\"like json\"}", out);
    p.line("bad \xff byte", out);
    REQUIRE(out.size() == 3);
    CHECK(out[0].text == "hello\n");
    CHECK(out[1].text == "{\"looks\":\"like json\"}\n");
    CHECK(out[2].text == "bad \xEF\xBF\xBD byte\n");
    CHECK(p.sawFinalResult());
}

TEST_CASE("toJson of parsed chunks is one valid line even with quotes and newlines", "[parser]") {
    ClaudeParser p;
    std::vector<Chunk> out;
    p.line(R"({"type":"assistant","message":{"content":[{"type":"text","text":"a \"quote\"\nand a newline\u2028"}]},"parent_tool_use_id":null})", out);
    REQUIRE(out.size() == 1);
    std::string line = toJson(out[0]);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find("\\\"quote\\\"") != std::string::npos);
}
