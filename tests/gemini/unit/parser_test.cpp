// gemini stream-json lines (as gemini 0.61.0 writes them) -> chunks.
#include "gemini_parser.hpp"

#include <catch2/catch.hpp>

using wildws::Chunk;
using wildws::gemini::GeminiParser;

namespace {

std::vector<Chunk> feed(GeminiParser& p, const std::vector<std::string>& lines) {
    std::vector<Chunk> out;
    for (auto& l : lines) p.line(l, out);
    return out;
}

std::vector<std::string> types(const std::vector<Chunk>& chunks) {
    std::vector<std::string> t;
    for (auto& c : chunks) t.push_back(c.type);
    return t;
}

const std::string kInit =
    R"({"type":"init","timestamp":"2026-12-01T08:34:18.289Z","session_id":"510a37c1-7109-4ae6-9d9a-4141f319f1be","model":"auto"})";

} // namespace

TEST_CASE("gemini init gives no chunk but stamps the session id on the next one", "[gemini][parser]") {
    GeminiParser p;
    auto out = feed(p, {kInit, R"({"type":"message","timestamp":"t","role":"user","content":"hi"})",
                        R"({"type":"message","timestamp":"t","role":"assistant","content":"Hello","delta":true})",
                        R"({"type":"message","timestamp":"t","role":"assistant","content":" there","delta":true})"});
    REQUIRE(types(out) == std::vector<std::string>{"text", "text"});
    CHECK(out[0].text == "Hello");
    CHECK(out[0].resumeId == "510a37c1-7109-4ae6-9d9a-4141f319f1be");
    CHECK(out[1].text == " there");
    CHECK(out[1].resumeId.empty());
    CHECK(p.sessionId() == "510a37c1-7109-4ae6-9d9a-4141f319f1be");
    CHECK_FALSE(p.sawFinalResult());
}

TEST_CASE("gemini tool_use and tool_result become tool-use and tool-result", "[gemini][parser]") {
    GeminiParser p;
    auto out = feed(p, {
        R"({"type":"tool_use","timestamp":"t","tool_name":"run_shell_command","tool_id":"c1","parameters":{"command":"ls -la"}})",
        R"({"type":"tool_result","timestamp":"t","tool_id":"c1","status":"success","output":"total 0"})",
        R"({"type":"tool_result","timestamp":"t","tool_id":"c2","status":"error","error":{"type":"FILE_NOT_FOUND","message":"no such file"}})",
        R"({"type":"tool_use","timestamp":"t","tool_name":"glob","tool_id":"c3"})",
    });
    REQUIRE(types(out) == std::vector<std::string>{"tool-use", "tool-result", "tool-result", "tool-use"});
    CHECK(out[0].name == "run_shell_command");
    CHECK(out[0].inputJson == R"({"command":"ls -la"})");
    CHECK(out[1].ok);
    CHECK(out[1].summary == "total 0");
    CHECK_FALSE(out[2].ok);
    CHECK(out[2].summary == "no such file");
    CHECK(out[3].inputJson == "{}");
}

TEST_CASE("a long tool result is cut to 4000 bytes on a character boundary", "[gemini][parser]") {
    GeminiParser p;
    std::string big;
    for (int i = 0; i < 3000; ++i) big += "\xC3\xA9"; // é, 2 bytes each
    auto out = feed(p, {R"({"type":"tool_result","tool_id":"c","status":"success","output":")" + big + "\"}"});
    REQUIRE(out.size() == 1);
    CHECK(out[0].summary.size() <= 4003);
    CHECK(out[0].summary.substr(out[0].summary.size() - 3) == "...");
    CHECK(out[0].summary.substr(0, 2) == "\xC3\xA9");
    CHECK((static_cast<unsigned char>(out[0].summary[out[0].summary.size() - 4]) & 0xC0) != 0xC0);
}

TEST_CASE("gemini result gives usage and is the final result, a failed one an error first", "[gemini][parser]") {
    GeminiParser ok;
    auto out = feed(ok, {R"({"type":"result","timestamp":"t","status":"success","stats":{"total_tokens":1234,"input_tokens":1000,"output_tokens":234,"cached":0,"input":1000,"duration_ms":2100,"tool_calls":1}})"});
    REQUIRE(types(out) == std::vector<std::string>{"usage"});
    CHECK(out[0].tokens == 1234);
    CHECK(out[0].durationMs == 2100);
    CHECK(out[0].costUsd < 0);
    CHECK(ok.sawFinalResult());

    GeminiParser bad;
    out = feed(bad, {R"({"type":"result","status":"error","error":{"type":"INVALID_STREAM","message":"The model returned an empty response."}})"});
    REQUIRE(types(out) == std::vector<std::string>{"error", "usage"});
    CHECK(out[0].message == "The model returned an empty response.");
    CHECK(out[1].tokens == -1);
    CHECK(bad.sawFinalResult());

    GeminiParser bare;
    out = feed(bare, {R"({"type":"result","status":"error"})"});
    CHECK(out.at(0).message == "Gemini CLI reported a failed turn");
}

TEST_CASE("gemini error events: a warning is stderr, an error is an error chunk", "[gemini][parser]") {
    GeminiParser p;
    auto out = feed(p, {R"({"type":"error","timestamp":"t","severity":"warning","message":"Loop detected, stopping execution"})",
                        R"({"type":"error","timestamp":"t","severity":"error","message":"Maximum session turns exceeded"})"});
    REQUIRE(types(out) == std::vector<std::string>{"stderr", "error"});
    CHECK(out[0].text == "gemini: Loop detected, stopping execution");
    CHECK(out[1].message == "Maximum session turns exceeded");
    CHECK_FALSE(p.sawFinalResult());
}

TEST_CASE("gemini lines that are not JSON go to stderr, unknown types are skipped", "[gemini][parser]") {
    GeminiParser p;
    auto out = feed(p, {"Loaded cached credentials.", R"({"type":"thought","content":"x"})", "[1,2]", "{broken",
                        "\xFF\xFE bad bytes"});
    REQUIRE(types(out) == std::vector<std::string>{"stderr", "stderr", "stderr", "stderr"});
    CHECK(out[0].text == "Loaded cached credentials.");
    CHECK(out[3].text == "\xEF\xBF\xBD\xEF\xBF\xBD bad bytes");
}

TEST_CASE("gemini's missing sign-in on stderr becomes one error chunk saying what to do", "[gemini][parser]") {
    GeminiParser p;
    std::vector<Chunk> out;
    p.stderrLine("Warning: 256-color support not detected.", out);
    CHECK(out.empty());
    p.stderrLine("Please set an Auth method in your /home/u/.gemini/settings.json or specify one of the following "
                 "environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA",
                 out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].type == "error");
    CHECK(out[0].message == wildws::gemini::notSignedInLine());
    CHECK(wildws::gemini::notSignedInLine().find("GEMINI_API_KEY") != std::string::npos);
    CHECK(p.sawFinalResult());
    p.stderrLine("Please set an Auth method again", out);
    CHECK(out.size() == 1); // said once
}

TEST_CASE("gemini's API key and Vertex AI failures on stderr also say how to sign in", "[gemini][parser]") {
    for (std::string line : {"When using Gemini API, you must specify the GEMINI_API_KEY environment variable.",
                             "When using Vertex AI, you must specify either:"}) {
        GeminiParser p;
        std::vector<Chunk> out;
        p.stderrLine(line, out);
        REQUIRE(out.size() == 1);
        CHECK(out[0].message == wildws::gemini::notSignedInLine());
    }
}

TEST_CASE("gemini's untrusted-folder refusal becomes one error naming skip_trust", "[gemini][parser]") {
    GeminiParser p;
    std::vector<Chunk> out;
    p.stderrLine("\x1b[31mGemini CLI is not running in a trusted directory. To proceed, either use `--skip-trust`\x1b[0m", out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].type == "error");
    CHECK(out[0].message.find("[plugin.gemini] skip_trust = true") != std::string::npos);
    CHECK(p.sawFinalResult());
}

TEST_CASE("stderr after a final result is not turned into an error", "[gemini][parser]") {
    GeminiParser p;
    auto out = feed(p, {R"({"type":"result","status":"success"})"});
    p.stderrLine("Please set an Auth method", out);
    CHECK(types(out) == std::vector<std::string>{"usage"});
}
