// Sign-in status in `agent list`, and `wildws agent login` in a terminal.
#include "signin_env.hpp"

#include <catch2/catch.hpp>

TEST_CASE("agent list shows signedIn for claude and codex and how to sign in", "[signin][cli]") {
    si::Env e;
    auto r = e.run({"agent", "list", "--json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto claude = si::agentRow(r.out, "claude");
    REQUIRE(claude);
    CHECK(claude->getValue<bool>("signedIn") == false);
    CHECK(claude->getValue<std::string>("signInHint") ==
          "Claude Code is not signed in: click Sign in, or run `claude auth login` (or `wildws agent login claude`)");
    auto codex = si::agentRow(r.out, "codex");
    CHECK(codex->getValue<bool>("signedIn") == false);
    CHECK(codex->getValue<std::string>("signInHint").find("codex login") != std::string::npos);
    // command is not configured, gemini not installed: no status at all.
    CHECK(si::agentRow(r.out, "command")->isNull("signedIn"));
    CHECK(si::agentRow(r.out, "gemini")->isNull("signedIn"));

    auto table = e.run({"agent", "list"});
    CHECK(wt::contains(table.out, "Claude Code is not signed in: click Sign in, or run `claude auth login`"));

    e.signIn();
    r = e.run({"agent", "list", "--json"});
    CHECK(si::agentRow(r.out, "claude")->getValue<bool>("signedIn") == true);
    CHECK_FALSE(si::agentRow(r.out, "claude")->has("signInHint"));
    CHECK(si::agentRow(r.out, "codex")->getValue<bool>("signedIn") == true);
}

TEST_CASE("agent login runs the CLI's own sign-in in a terminal and says the outcome", "[signin][cli]") {
    si::Env e;
    auto r = e.run({"agent", "login", "claude"}, "GOOD-CODE\n");
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(wt::contains(r.out, "Paste code here if prompted > "));
    CHECK(wt::contains(r.out, "https://claude.com/cai/oauth/authorize?code=true&client_id=fixture&state=abc123"));
    CHECK(wt::contains(r.out, "Login successful."));
    CHECK(wt::contains(r.out, "Claude Code is signed in (claude.ai account)\n"));

    si::Env bad;
    r = bad.run({"agent", "login", "claude"}, "WRONG\n");
    CHECK(r.code == 1);
    CHECK(wt::contains(r.out, "Claude Code is not signed in (the sign-in exited with code 1): Claude Code is not signed in"));
}

TEST_CASE("agent login refuses an unknown agent, one not installed and one without a sign-in command", "[signin][cli]") {
    si::Env e;
    auto r = e.run({"agent", "login", "nope"});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: agent login: unknown agent 'nope'; known agents: claude, codex, command, gemini\n");
    r = e.run({"--set", "plugin.agent.codex_path=/nonexistent/codex", "agent", "login", "codex"});
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "wildws: agent login: Codex is not available: [plugin.agent] codex_path = /nonexistent/codex"));
    r = e.run({"--set", "plugin.gemini.gemini_path=/bin/true", "agent", "login", "gemini"});
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: agent login: Gemini CLI has no sign-in command wildws can run: set GEMINI_API_KEY for "
                   "wildws, or run `gemini` once in a terminal and choose how to sign in\n");
    r = e.run({"agent", "login", "command"});
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "does not say how to sign in"));
}
