// The gemini command line and [plugin.gemini] settings.
#include "gemini_backend.hpp"
#include "settings.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace wildws;
using namespace wildws::gemini;

namespace {

using Values = std::map<std::string, std::string>;

class MapConfig : public Config {
public:
    explicit MapConfig(std::map<std::string, std::string> v) : v_(std::move(v)) {}
    std::optional<std::string> get(const std::string& key) const override {
        auto it = v_.find(key);
        if (it == v_.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::string> keys() const override {
        std::vector<std::string> k;
        for (auto& [name, value] : v_) k.push_back(name);
        return k;
    }
    std::string section() const override { return "[plugin.gemini]"; }

private:
    std::map<std::string, std::string> v_;
};

AgentDetection at(const std::string& path) {
    AgentDetection d;
    d.found = true;
    d.path = path;
    return d;
}

} // namespace

TEST_CASE("gemini runs headless in stream-json with the prompt on stdin", "[gemini][backend]") {
    GeminiBackend b({});
    AgentRequest r;
    r.prompt = "-fix the build";
    auto l = b.launch(r, at("/opt/gemini"));
    CHECK(l.argv == std::vector<std::string>{"/opt/gemini", "--output-format", "stream-json", "--approval-mode",
                                             "auto_edit", "-p", ""});
    CHECK(l.stdinText == "-fix the build");

    r.mode = AgentMode::Plan;
    r.resumeId = "6f1c1d2e-0b7a-4c3e-9a55-1f2e3d4c5b6a";
    r.appendSystemPrompt = "Be brief.";
    l = b.launch(r, at("/opt/gemini"));
    CHECK(l.argv == std::vector<std::string>{"/opt/gemini", "--output-format", "stream-json", "--approval-mode", "plan",
                                             "--resume", "6f1c1d2e-0b7a-4c3e-9a55-1f2e3d4c5b6a", "-p", ""});
    CHECK(l.stdinText == "Be brief.\n\n-fix the build");
}

TEST_CASE("gemini refuses a malformed resume id", "[gemini][backend]") {
    GeminiBackend b({});
    AgentRequest r;
    r.prompt = "x";
    r.resumeId = "--yolo";
    CHECK_THROWS_WITH(b.launch(r, at("/opt/gemini")), "the conversation id to resume is malformed");
}

TEST_CASE("[plugin.gemini] settings: args, build mode, skip_trust", "[gemini][backend]") {
    auto s = readSettings(MapConfig(Values{{"gemini_args", R"(["--model", "gemini-2.5-flash"])"},
                                     {"build_approval_mode", "yolo"},
                                     {"skip_trust", "true"}}));
    GeminiBackend b(s);
    AgentRequest r;
    r.prompt = "x";
    auto l = b.launch(r, at("/g"));
    CHECK(l.argv == std::vector<std::string>{"/g", "--output-format", "stream-json", "--approval-mode", "yolo",
                                             "--skip-trust", "--model", "gemini-2.5-flash", "-p", ""});
    CHECK(readSettings(MapConfig(Values{{"gemini_args", "--model  m"}})).geminiArgs ==
          std::vector<std::string>{"--model", "m"});
}

TEST_CASE("[plugin.gemini] bad settings are refused naming the key", "[gemini][backend]") {
    CHECK_THROWS_WITH(readSettings(MapConfig(Values{{"build_approval_mode", "plan"}})),
                      "[plugin.gemini] build_approval_mode = 'plan': expected default, auto_edit or yolo");
    CHECK_THROWS_WITH(readSettings(MapConfig(Values{{"gemini_path", "gemini"}})),
                      "[plugin.gemini] gemini_path = 'gemini': expected an absolute path");
    CHECK_THROWS_WITH(readSettings(MapConfig(Values{{"gemini_args", "[1]"}})),
                      "[plugin.gemini] gemini_args = '[1]': expected a JSON array of strings");
    CHECK_THROWS_WITH(readSettings(MapConfig(Values{{"detect_cache_seconds", "-1"}})),
                      "[plugin.gemini] detect_cache_seconds = '-1': expected a number of seconds, 0 or more");
}

TEST_CASE("gemini detection follows gemini_path and says why it cannot run", "[gemini][backend]") {
    GeminiSettings s;
    s.geminiPath = "/nonexistent/gemini";
    auto d = locateGemini(s);
    CHECK_FALSE(d.found);
    CHECK(d.reason == "[plugin.gemini] gemini_path = /nonexistent/gemini: No such file or directory");
    CHECK(d.installHint.find("npm install -g @google/gemini-cli") != std::string::npos);
    s.geminiPath = "/bin/sh";
    d = locateGemini(s);
    CHECK(d.found);
    CHECK(d.path == "/bin/sh");
}
