// `wildws agent list|run` through the real binary and the fixture agents.
#include "agent_env.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <thread>

using namespace std::chrono_literals;

TEST_CASE("agent list shows each backend, found or not, with how to install", "[cli]") {
    wt::TempDir home;
    auto r = ai::agent(home.path(), {"agent", "list", "--json"}, {}, {{"codex_path", "/nonexistent/codex"}});
    REQUIRE(r.code == 0);
    auto root = ai::jsonLines(r.out).at(0);
    auto agents = root->getArray("agents");
    // claude, codex, command - and gemini when plugins/gemini is built (its own plugin).
    REQUIRE(agents->size() >= 3);
    if (agents->size() == 4) CHECK(agents->getObject(3)->getValue<std::string>("id") == "gemini");
    auto claude = agents->getObject(0);
    CHECK(claude->getValue<std::string>("id") == "claude");
    CHECK(claude->getValue<bool>("found"));
    CHECK(claude->getValue<std::string>("path") == FAKE_CLAUDE);
    CHECK(claude->getValue<std::string>("version") == "2.0.14 (Claude Code)");
    CHECK(claude->getValue<bool>("default"));
    auto codex = agents->getObject(1);
    CHECK_FALSE(codex->getValue<bool>("found"));
    CHECK(codex->getValue<std::string>("reason").find("/nonexistent/codex") != std::string::npos);
    CHECK(codex->getValue<std::string>("installHint").find("npm install -g @openai/codex") != std::string::npos);
    CHECK(root->getValue<std::string>("default") == "claude");

    auto table = ai::agent(home.path(), {"agent", "list"});
    CHECK(table.code == 0);
    CHECK(wt::contains(table.out, "claude   Claude Code     found " FAKE_CLAUDE " (2.0.14 (Claude Code)) [default]"));
    CHECK(wt::contains(table.out, "not found: no [plugin.agent] command is configured"));
}

TEST_CASE("agent run --json streams the normalised chunks, start first and end last", "[cli]") {
    wt::TempDir home;
    auto r = ai::agent(home.path(), {"agent", "run", "--json", "replay tool_use"});
    CHECK(r.code == 0);
    auto lines = ai::jsonLines(r.out);
    std::vector<std::string> expected = {"start",    "thinking",    "text",        "tool-use", "tool-result",
                                         "tool-use", "thinking",    "tool-use",    "tool-result", "tool-result",
                                         "tool-use", "tool-result", "text",        "usage",    "end"};
    CHECK(ai::typesOf(lines) == expected);
    REQUIRE(lines.size() == expected.size());
    CHECK(lines[0]->getValue<std::string>("agent") == "claude");
    CHECK_FALSE(lines[0]->getValue<bool>("resumed"));
    CHECK(lines[3]->getObject("input")->getValue<std::string>("command") == "npm test -- --run");
    CHECK(lines[13]->getValue<double>("cost") == Approx(0.04125));
    CHECK(lines.back()->getValue<std::string>("reason") == "completed");
    CHECK(lines.back()->getValue<std::string>("resumeId") == "claude-sess-1");

    auto codex = ai::agent(home.path(), {"agent", "run", "--agent", "codex", "--json", "replay tool_use"}, {},
                           {{"codex_protocol", "exec"}});
    CHECK(codex.code == 0);
    CHECK(ai::typesOf(ai::jsonLines(codex.out)).size() == 15);
}

TEST_CASE("agent run without --json prints the answer on stdout and diagnostics on stderr", "[cli]") {
    wt::TempDir home;
    auto r = ai::agent(home.path(), {"agent", "run", "replay tool_use"});
    CHECK(r.code == 0);
    CHECK(wt::contains(r.out, "I'll run the test suite to see what fails.\n"));
    CHECK(wt::contains(r.out, "> Bash {\"command\":\"npm test -- --run\""));
    CHECK(wt::contains(r.out, "  failed: FAIL src/sum.test.js"));
    CHECK(wt::contains(r.out, "Fixed: `sum()` added an extra 1. The test passes now.\n"));
    CHECK(wt::contains(r.out, "-- $0.0413, 54740 tokens, 18.2 s"));
    CHECK(wt::contains(r.err, "[claude session "));

    auto failed = ai::agent(home.path(), {"agent", "run", "replay error_result"});
    CHECK(failed.code == 1);
    CHECK(wt::contains(failed.err, "error: the agent stopped after reaching its maximum number of turns"));
    CHECK(wt::contains(failed.err, "[the agent ended: failed]")); // a live turn: the process lives on
    auto oneShot = ai::agent(home.path(), {"agent", "run", "replay error_result"}, {}, {{"claude_interactive", "false"}});
    CHECK(wt::contains(oneShot.err, "[the agent ended: failed, code 1]"));

    auto noResult = ai::agent(home.path(), {"agent", "run", "replay no_result"});
    CHECK(noResult.code == 1);
    CHECK(wt::contains(noResult.err, "without its final result"));
}

TEST_CASE("a prompt with quotes, newlines and a leading dash reaches the agent intact", "[cli][prompt]") {
    wt::TempDir home;
    std::string prompt = "-rf \"it's\" $HOME `id` ; | & \n second line\t\\n";
    wt::RunOptions o;
    o.env["AGENT_FIXTURE_LOG"] = home / "record.json";
    SECTION("claude: on stdin") {
        auto r = ai::agent(home.path(), {"agent", "run", "--json", "--", prompt}, o);
        CHECK(r.code == 0);
        CHECK(ai::readJson(home / "record.json")->getValue<std::string>("prompt") == prompt);
    }
    SECTION("command: as one argv element") {
        auto r = ai::agent(home.path(), {"agent", "run", "--agent", "command", "--json", "--", prompt}, o,
                           {{"command", std::string("[\"") + FAKE_CMD + "\", \"--flag\", \"{prompt}\"]"}});
        CHECK(r.code == 0);
        auto argv = ai::stringArray(ai::readJson(home / "record.json"), "argv");
        CHECK(argv == std::vector<std::string>{FAKE_CMD, "--flag", prompt});
    }
}

TEST_CASE("secrets never reach the agent's environment or argv", "[cli][secrets]") {
    wt::TempDir home;
    wt::RunOptions o;
    o.env["AGENT_FIXTURE_LOG"] = home / "record.json";
    o.env["WILD_WORKSPACE_SUPPORT_SECRET"] = "support-secret-value";
    o.env["WILD_WORKSPACE_SHARE_SECRET"] = "share-secret-value";
    o.env["WILDWS_SET"] = "plugin.agent.stall_seconds=99";
    auto r = ai::agent(home.path(), {"agent", "run", "--json", "hello"}, o);
    CHECK(r.code == 0);
    auto rec = ai::readJson(home / "record.json");
    std::string env;
    for (auto& e : ai::stringArray(rec, "env")) env += e + "\n";
    CHECK_FALSE(wt::contains(env, "support-secret-value"));
    CHECK_FALSE(wt::contains(env, "share-secret-value"));
    CHECK_FALSE(wt::contains(env, "WILDWS_SET"));
    CHECK(wt::contains(env, "AGENT_FIXTURE_LOG="));
    for (auto& a : ai::stringArray(rec, "argv")) CHECK_FALSE(wt::contains(a, "secret"));
}

TEST_CASE("the conversation is kept in sessions/<id>.jsonl, 0600", "[cli][store]") {
    wt::TempDir home;
    auto r = ai::agent(home.path(), {"agent", "run", "--json", "hello"});
    REQUIRE(r.code == 0);
    auto id = ai::jsonLines(r.out).at(0)->getValue<std::string>("sessionId");
    std::string file = home / ("sessions/" + id + ".jsonl");
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto stored = ai::jsonLines(wt::readFile(file));
    CHECK(ai::typesOf(stored) == std::vector<std::string>{"prompt", "start", "text", "usage", "end"});
    CHECK(stored[0]->getValue<std::string>("text") == "hello");
    CHECK(stored[2]->getValue<std::string>("text") == "you said: hello");
}

TEST_CASE("bad usage and missing agents give clear one-line errors and exit codes", "[cli]") {
    wt::TempDir home;
    auto unknown = ai::agent(home.path(), {"agent", "run", "--agent", "nosuch", "hi"});
    CHECK(unknown.code == 2);
    CHECK(wt::contains(unknown.err, "unknown agent 'nosuch'; known agents: claude, codex, command"));
    auto mode = ai::agent(home.path(), {"agent", "run", "--mode", "yolo", "hi"});
    CHECK(mode.code == 2);
    auto cwd = ai::agent(home.path(), {"agent", "run", "--cwd", "/nonexistent-dir", "hi"});
    CHECK(cwd.code == 2);
    CHECK(wt::contains(cwd.err, "/nonexistent-dir"));
    auto none = ai::agent(home.path(), {"agent", "run", "hi"}, {},
                          {{"claude_path", "/nonexistent/claude"}, {"codex_path", "/nonexistent/codex"}});
    CHECK(none.code == 1);
    CHECK(wt::contains(none.err, "no coding agent is installed"));
    CHECK(wt::contains(none.err, "npm install -g @anthropic-ai/claude-code"));
    auto badConfig = ai::agent(home.path(), {"agent", "list"}, {}, {{"stall_seconds", "soon"}});
    CHECK(wt::contains(badConfig.err + badConfig.out, "stall_seconds"));
}

TEST_CASE("Ctrl-C stops the agent and its children, and exits 130", "[cli][signal]") {
    wt::TempDir home;
    std::vector<std::string> argv{WILDWS_BIN, "--home", home.path(), "--plugins-dir", WILDWS_PLUGINS_DIR};
    for (auto& s : ai::fixtureSets()) argv.push_back(s);
    for (std::string a : {"agent", "run", "--json", "grandchild"}) argv.push_back(a);
    wt::Child child(argv);
    int grandchild = -1;
    REQUIRE(ai::waitFor(
        [&] {
            auto out = child.output();
            auto at = out.find("grandchild-pid ");
            if (at == std::string::npos || out.find("spawned a grandchild") == std::string::npos) return false;
            grandchild = std::stoi(out.substr(at + 15));
            return true;
        },
        10s));
    REQUIRE(grandchild > 0);
    CHECK_FALSE(ai::processGone(grandchild));
    auto start = std::chrono::steady_clock::now();
    child.signal(SIGINT);
    auto code = child.wait(5s);
    REQUIRE(code);
    CHECK(*code == 130);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK(ai::waitGone(grandchild, 2s));
    auto out = child.output();
    CHECK(wt::contains(out, "\"message\":\"interrupted (Ctrl-C)\""));
    CHECK(wt::contains(out, "\"reason\":\"cancelled\""));
}

TEST_CASE("agent run stops the agent when its output is closed", "[cli]") {
    wt::TempDir home;
    std::string cmd = std::string("'") + WILDWS_BIN + "' --home '" + home.path() + "' --plugins-dir '" + WILDWS_PLUGINS_DIR + "'";
    for (auto& s : ai::fixtureSets()) cmd += " '" + s + "'";
    cmd += " agent run --json 'slow 1000 20' | head -n 2";
    auto start = std::chrono::steady_clock::now();
    wt::RunOptions o;
    o.timeout = 15s;
    auto r = wt::run({"/bin/sh", "-c", cmd}, o);
    CHECK_FALSE(r.timedOut);
    CHECK(wt::lines(r.out).size() == 2);
    CHECK(std::chrono::steady_clock::now() - start < 5s); // the agent alone would take 20 s
    auto id = ai::jsonLines(r.out).at(0)->getValue<std::string>("sessionId");
    CHECK(wt::contains(wt::readFile(home / ("sessions/" + id + ".jsonl")), "\"message\":\"the output was closed\""));
}
