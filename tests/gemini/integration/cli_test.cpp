// The gemini plugin through the real binary: `wildws agent list|run --agent
// gemini` with fixtures/fake-gemini standing in for gemini 0.61.0, and the
// plugin built out of tree against the installed SDK alone.
#include <wildws_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include <fstream>
#include <regex>

namespace {

const std::vector<std::string> kAuthVars = {"GEMINI_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_GCA",
                                            "GOOGLE_GEMINI_BASE_URL", "CLOUD_SHELL", "GEMINI_CLI_USE_COMPUTE_ADC",
                                            "GEMINI_CLI_HOME", "GEMINI_CLI_SYSTEM_SETTINGS_PATH", "GOOGLE_API_KEY"};

struct Gemini {
    wt::TempDir dir;
    std::string home = dir / "home";  // wildws's home
    std::string user = dir / "user";  // $HOME: gemini's settings live under it
    std::string argvFile = dir / "argv";
    std::map<std::string, std::string> env;

    Gemini() {
        ::mkdir(home.c_str(), 0700);
        ::mkdir(user.c_str(), 0700);
        env = {{"HOME", user}, {"FAKE_GEMINI_ARGV_FILE", argvFile},
               // gemini's settings say "system" settings are in /etc: keep a real one out.
               {"GEMINI_CLI_SYSTEM_SETTINGS_PATH", dir / "no-system-settings.json"}};
    }
    wt::Result run(std::vector<std::string> args) {
        std::vector<std::string> all = {"--set", std::string("plugin.gemini.gemini_path=") + FAKE_GEMINI,
                                        "--set", "plugin.agent.claude_path=/nonexistent/claude",
                                        "--set", "plugin.agent.codex_path=/nonexistent/codex"};
        all.insert(all.end(), args.begin(), args.end());
        wt::RunOptions o;
        o.env = env;
        o.unsetEnv = kAuthVars;
        o.unsetEnv.erase(std::remove(o.unsetEnv.begin(), o.unsetEnv.end(), "GEMINI_CLI_SYSTEM_SETTINGS_PATH"),
                         o.unsetEnv.end());
        for (auto& [k, v] : env) o.unsetEnv.erase(std::remove(o.unsetEnv.begin(), o.unsetEnv.end(), k), o.unsetEnv.end());
        o.cwd = dir.path();
        return wt::wildws(home, all, o);
    }
};

std::vector<Poco::JSON::Object::Ptr> jsonLines(const std::string& text) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (auto& l : wt::lines(text)) {
        if (l.empty()) continue;
        Poco::JSON::Parser p;
        out.push_back(p.parse(l).extract<Poco::JSON::Object::Ptr>());
    }
    return out;
}

std::vector<std::string> typesOf(const std::vector<Poco::JSON::Object::Ptr>& lines) {
    std::vector<std::string> t;
    for (auto& l : lines) t.push_back(l->getValue<std::string>("type"));
    return t;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

const char* kNotSignedIn = "Gemini CLI is not signed in: set GEMINI_API_KEY (or GOOGLE_GENAI_USE_VERTEXAI=true or "
                           "GOOGLE_GENAI_USE_GCA=true) for wildws, or run `gemini` once in a terminal and choose how "
                           "to sign in";

} // namespace

TEST_CASE("gemini is listed as an agent found at gemini_path, with its sign-in state", "[gemini][cli]") {
    Gemini g;
    auto r = g.run({"agent", "list", "--json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto root = jsonLines(r.out).at(0);
    Poco::JSON::Object::Ptr gemini;
    auto agents = root->getArray("agents");
    for (std::size_t i = 0; i < agents->size(); ++i)
        if (agents->getObject(i)->getValue<std::string>("id") == "gemini") gemini = agents->getObject(i);
    REQUIRE(gemini);
    CHECK(gemini->getValue<std::string>("name") == "Gemini CLI");
    CHECK(gemini->getValue<bool>("found"));
    CHECK(gemini->getValue<std::string>("path") == FAKE_GEMINI);
    CHECK(gemini->getValue<bool>("canResume"));
    CHECK(gemini->getValue<bool>("signedIn") == false);
    CHECK(gemini->getValue<std::string>("signInHint") == kNotSignedIn);

    g.env["GEMINI_API_KEY"] = "AIza-fixture-key";
    r = g.run({"agent", "list", "--json"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("\"signedIn\":true") != std::string::npos);
    CHECK(r.out.find("AIza-fixture-key") == std::string::npos);
}

TEST_CASE("agent run --agent gemini streams gemini's stream-json as chunks", "[gemini][cli]") {
    Gemini g;
    g.env["GEMINI_API_KEY"] = "AIza-fixture-key";
    auto r = g.run({"agent", "run", "--agent", "gemini", "--json", "replay ok"});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    auto lines = jsonLines(r.out);
    CHECK(typesOf(lines) == std::vector<std::string>{"start", "text", "tool-use", "tool-result", "text", "usage", "end"});
    REQUIRE(lines.size() == 7);
    CHECK(lines[0]->getValue<std::string>("agent") == "gemini");
    CHECK(lines[1]->getValue<std::string>("text") == "Looking at ");
    CHECK(lines[2]->getValue<std::string>("name") == "read_file");
    CHECK(lines[2]->getObject("input")->getValue<std::string>("file_path") == "README.md");
    CHECK(lines[3]->getValue<bool>("ok"));
    CHECK(lines[3]->getValue<std::string>("summary") == "# wildws");
    CHECK(lines[5]->getValue<int>("tokens") == 1234);
    CHECK(lines[6]->getValue<std::string>("reason") == "completed");
    CHECK(lines[6]->getValue<std::string>("resumeId") == "6f1c1d2e-0b7a-4c3e-9a55-1f2e3d4c5b6a");
    auto argv = wt::lines(wt::readFile(g.argvFile));
    CHECK(argv == std::vector<std::string>{"--output-format", "stream-json", "--approval-mode", "auto_edit", "-p", ""});

    // The follow-up resumes gemini's own session.
    auto sessionId = lines[0]->getValue<std::string>("sessionId");
    auto plan = g.run({"agent", "run", "--agent", "gemini", "--mode", "plan", "--json", "replay ok"});
    CHECK(plan.code == 0);
    argv = wt::lines(wt::readFile(g.argvFile));
    CHECK(argv == std::vector<std::string>{"--output-format", "stream-json", "--approval-mode", "plan", "-p", ""});
}

TEST_CASE("gemini exiting 41 for a missing sign-in reaches the owner as one error chunk", "[gemini][cli]") {
    Gemini g;
    g.env["GEMINI_API_KEY"] = "AIza-fixture-key"; // wildws thinks it is signed in; gemini disagrees
    auto r = g.run({"agent", "run", "--agent", "gemini", "--json", "no auth"});
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    auto lines = jsonLines(r.out);
    int errors = 0;
    for (auto& l : lines)
        if (l->getValue<std::string>("type") == "error") {
            ++errors;
            CHECK(l->getValue<std::string>("message") == kNotSignedIn);
        }
    CHECK(errors == 1);
    CHECK(lines.back()->getValue<std::string>("type") == "end");
    CHECK(lines.back()->getValue<int>("code") == 41);
    CHECK(lines.back()->getValue<std::string>("reason") == "failed");
    CHECK(r.out.find("Please set an Auth method") != std::string::npos); // gemini's own words, as stderr
}

TEST_CASE("a prompt to gemini known to be signed out is answered at once without starting it", "[gemini][cli]") {
    Gemini g;
    auto r = g.run({"agent", "run", "--agent", "gemini", "replay ok"});
    CHECK(r.code == 1);
    CHECK(r.err == std::string("wildws: agent run: ") + kNotSignedIn + "\n");
    CHECK_FALSE(exists(g.argvFile)); // gemini never ran
}

TEST_CASE("gemini refusing an untrusted folder says how to trust it", "[gemini][cli]") {
    Gemini g;
    g.env["GEMINI_API_KEY"] = "k";
    auto r = g.run({"agent", "run", "--agent", "gemini", "--json", "untrusted"});
    CHECK(r.code == 1);
    auto lines = jsonLines(r.out);
    std::vector<std::string> errors;
    for (auto& l : lines)
        if (l->getValue<std::string>("type") == "error") errors.push_back(l->getValue<std::string>("message"));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "Gemini CLI does not trust this working directory: run `gemini` there once in a terminal and "
                       "trust it, or set [plugin.gemini] skip_trust = true");

    r = g.run({"--set", "plugin.gemini.skip_trust=true", "agent", "run", "--agent", "gemini", "--json", "replay ok"});
    CHECK(r.code == 0);
    CHECK(wt::lines(wt::readFile(g.argvFile)).at(4) == "--skip-trust");
}

TEST_CASE("gemini failing its turn, or ending without a result, is not a success", "[gemini][cli]") {
    Gemini g;
    g.env["GEMINI_API_KEY"] = "k";
    auto r = g.run({"agent", "run", "--agent", "gemini", "--json", "replay error"});
    CHECK(r.code == 1);
    auto lines = jsonLines(r.out);
    CHECK(typesOf(lines) == std::vector<std::string>{"start", "tool-use", "tool-result", "stderr", "error", "usage", "end"});
    CHECK(lines.back()->getValue<std::string>("reason") == "failed");

    r = g.run({"agent", "run", "--agent", "gemini", "--json", "no result"});
    CHECK(r.code == 1);
    lines = jsonLines(r.out);
    CHECK(lines.back()->getValue<std::string>("reason") == "no-result");
}

TEST_CASE("a bad [plugin.gemini] setting disables the plugin with one line", "[gemini][cli]") {
    Gemini g;
    auto r = g.run({"--set", "plugin.gemini.build_approval_mode=sometimes", "plugins"});
    CHECK(wt::contains(r.out, "[plugin.gemini] build_approval_mode = 'sometimes': expected default, auto_edit or yolo"));
}

TEST_CASE("the gemini plugin builds out of tree against the installed SDK alone", "[gemini][outoftree]") {
    // Its sources include only the SDK, Poco and themselves.
    std::regex include(R"(#include\s*[<"]([^>"]+)[>"])");
    DIR* dp = ::opendir((std::string(GEMINI_PLUGIN_SOURCE) + "/src").c_str());
    REQUIRE(dp);
    while (auto* e = ::readdir(dp)) {
        std::string name = e->d_name;
        if (name[0] == '.') continue;
        std::ifstream in(std::string(GEMINI_PLUGIN_SOURCE) + "/src/" + name);
        for (std::string line; std::getline(in, line);) {
            std::smatch m;
            if (!std::regex_search(line, m, include)) continue;
            std::string h = m[1];
            INFO(name << ": " << h);
            bool local = h.find('/') == std::string::npos && h.find(".hpp") != std::string::npos;
            bool allowed = local || h.rfind("wildws/", 0) == 0 || h.rfind("Poco/", 0) == 0 ||
                           h.find('.') == std::string::npos || h.rfind("sys/", 0) == 0 || h == "dirent.h" ||
                           h == "unistd.h";
            CHECK(allowed);
            CHECK(h.find("plugins/") == std::string::npos);
            CHECK(h.find("common/") == std::string::npos);
        }
    }
    ::closedir(dp);

    wt::TempDir work;
    auto prefix = work / "prefix";
    auto install = wt::run({"/usr/bin/cmake", "--install", WILDWS_BINARY_DIR, "--prefix", prefix},
                           {{}, {}, "", "", std::chrono::milliseconds(120000)});
    INFO(install.out << install.err);
    REQUIRE(install.code == 0);
    auto build = work / "build";
    auto configure = wt::run({"/usr/bin/cmake", "-S", GEMINI_PLUGIN_SOURCE, "-B", build,
                              "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Release"},
                             {{}, {}, "", "", std::chrono::milliseconds(120000)});
    INFO(configure.out << configure.err);
    REQUIRE(configure.code == 0);
    auto compile = wt::run({"/usr/bin/cmake", "--build", build}, {{}, {}, "", "", std::chrono::milliseconds(280000)});
    INFO(compile.out << compile.err);
    REQUIRE(compile.code == 0);
    auto list = wt::run({prefix + "/bin/wildws", "--home", work / "home", "--plugins-dir", build + "/plugins", "plugins"});
    INFO(list.out << list.err);
    CHECK(std::regex_search(list.out, std::regex(R"(gemini\s+loaded)")));
}
