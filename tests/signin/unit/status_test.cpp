// What `claude auth status` and `codex login status` print -> a status; the
// code body of POST /api/agents/:id/login/code.
#include "signin.hpp"
#include "signin_routes.hpp"

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::agent;

TEST_CASE("claude auth status JSON says signed in or out, never a key", "[signin][status]") {
    ProbeOutput out{1, R"({"loggedIn": false, "authMethod": "none", "apiProvider": "firstParty"})", "", ""};
    auto s = claudeStatusFrom(out);
    CHECK(s.state == SigninState::SignedOut);
    CHECK(s.how == "Claude Code is not signed in: click Sign in, or run `claude auth login` (or `wildws agent login claude`)");

    out = {0, R"({"loggedIn": true, "authMethod": "api_key", "apiProvider": "firstParty", "apiKeySource": "ANTHROPIC_API_KEY"})", "", ""};
    s = claudeStatusFrom(out);
    CHECK(s.state == SigninState::SignedIn);
    CHECK(s.method == "ANTHROPIC_API_KEY");
    out = {0, R"({"loggedIn": true, "authMethod": "claude.ai"})", "", ""};
    CHECK(claudeStatusFrom(out).method == "claude.ai account");
}

TEST_CASE("claude auth status that fails or prints no JSON is unknown, saying why", "[signin][status]") {
    auto s = claudeStatusFrom({-1, "", "", "it did not answer within 15 s"});
    CHECK(s.state == SigninState::Unknown);
    CHECK(s.how == "`claude auth status` failed: it did not answer within 15 s");
    s = claudeStatusFrom({1, "error: unknown command 'auth'", "error: unknown command 'auth'\n", ""});
    CHECK(s.state == SigninState::Unknown);
    CHECK(s.how == "`claude auth status` gave no status (exit 1): error: unknown command 'auth'");
}

TEST_CASE("codex login status: its exit code and its last line", "[signin][status]") {
    auto s = codexStatusFrom({1, "", "WARNING: proceeding, even though...\nNot logged in\n", ""});
    CHECK(s.state == SigninState::SignedOut);
    CHECK(s.how == "Codex is not signed in: click Sign in, or run `codex login` (or `wildws agent login codex`)");
    s = codexStatusFrom({0, "Logged in using ChatGPT\n", "", ""});
    CHECK(s.state == SigninState::SignedIn);
    CHECK(s.method == "ChatGPT account");
    s = codexStatusFrom({0, "Logged in using an API key - sk-proj-***abc\n", "", ""});
    CHECK(s.method == "API key");
    CHECK(codexStatusFrom({2, "", "error: unexpected argument 'status'\n", ""}).state == SigninState::Unknown);
}

TEST_CASE("the sign-in code body must be one line of text", "[signin][status]") {
    std::string code, why;
    CHECK(parseCodeBody("nope", code, why) == std::string("bad-json"));
    CHECK(why == "the body must be a JSON object: {\"code\": \"...\"}");
    CHECK(parseCodeBody(R"({"code": 5})", code, why) == std::string("bad-code"));
    CHECK(parseCodeBody(R"({"code": "  "})", code, why) == std::string("bad-code"));
    CHECK(why == "code must be a non-empty string");
    CHECK(parseCodeBody(R"({"code": "a\nb"})", code, why) == std::string("bad-code"));
    CHECK(why == "the code contains a control character (a newline, ESC, ...)");
    CHECK(parseCodeBody("{\"code\": \"" + std::string(5000, 'x') + "\"}", code, why) == std::string("bad-code"));
    CHECK_FALSE(parseCodeBody(R"({"code": "GOOD-CODE#abc"})", code, why));
    CHECK(code == "GOOD-CODE#abc");
}

TEST_CASE("a CLI's sign-in status is probed once per cache period and again after refresh", "[signin][status]") {
    AgentSettings settings;
    settings.claudePath = "/bin/true"; // found; its --version says nothing
    auto backend = std::make_shared<ClaudeBackend>(settings);
    int probes = 0;
    std::vector<std::string> seenArgv;
    ProbeRunner runner = [&](const std::vector<std::string>& argv) {
        ++probes;
        seenArgv = argv;
        return ProbeOutput{1, R"({"loggedIn": false, "authMethod": "none"})", "", ""};
    };
    CliSignin signin({"Claude Code", {"auth", "status"}, {"auth", "login"}, {}, claudeStatusFrom}, backend, runner,
                     std::chrono::seconds(60));
    CHECK_FALSE(signin.knownStatus()); // nothing looked at yet: a prompt would not wait
    CHECK(signin.status().state == SigninState::SignedOut);
    CHECK(seenArgv == std::vector<std::string>{"/bin/true", "auth", "status"});
    CHECK(signin.status().state == SigninState::SignedOut);
    CHECK(probes == 1);
    REQUIRE(signin.knownStatus());
    CHECK(signin.knownStatus()->state == SigninState::SignedOut);
    signin.refresh();
    CHECK_FALSE(signin.knownStatus());
    signin.status();
    CHECK(probes == 2);

    AgentDetection found;
    found.found = true;
    found.path = "/opt/claude";
    auto login = signin.login(found);
    CHECK(login.argv == std::vector<std::string>{"/opt/claude", "auth", "login"});
    found.found = false;
    CHECK_THROWS_WITH(signin.login(found), "Claude Code is not installed");
}

TEST_CASE("a CLI that is not installed has an unknown sign-in state and is not probed", "[signin][status]") {
    AgentSettings settings;
    settings.codexPath = "/nonexistent/codex";
    int probes = 0;
    CliSignin signin({"Codex", {"login", "status"}, {"login"}, {1455}, codexStatusFrom},
                     std::make_shared<CodexBackend>(settings), [&](const std::vector<std::string>&) {
                         ++probes;
                         return ProbeOutput{};
                     },
                     std::chrono::seconds(60));
    auto s = signin.status();
    CHECK(s.state == SigninState::Unknown);
    CHECK(s.how == "Codex is not installed");
    CHECK(probes == 0);
}
