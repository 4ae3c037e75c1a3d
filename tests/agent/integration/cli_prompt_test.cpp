// `wildws agent run` answering a live agent's prompts: through a real pty
// (the SDK's ChildProcess with pty = true), and without a terminal.
#include "agent_env.hpp"

#include <catch2/catch.hpp>

#include <wildws/process.hpp>

#include <poll.h>

using namespace std::chrono_literals;

namespace {

/// Reads the pty until `text` appeared (or the end / the timeout); returns all.
std::string readUntil(wildws::ChildProcess& c, std::string& all, const std::string& text, std::chrono::milliseconds d = 15s) {
    auto deadline = std::chrono::steady_clock::now() + d;
    char buf[4096];
    while (all.find(text) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{c.terminalFd(), POLLIN, 0};
        if (p.fd < 0) break;
        ::poll(&p, 1, 100);
        long n = c.read(wildws::ChildProcess::Stream::Terminal, buf, sizeof buf);
        if (n > 0) all.append(buf, static_cast<std::size_t>(n));
        if (n == 0) break;
    }
    return all;
}

wildws::ChildProcess runOnPty(const wt::TempDir& home, const std::string& prompt) {
    wildws::SpawnOptions o;
    o.argv = {WILDWS_BIN, "--home", home.path(), "--plugins-dir", WILDWS_PLUGINS_DIR};
    for (auto& a : ai::fixtureSets()) o.argv.push_back(a);
    for (const char* a : {"agent", "run"}) o.argv.push_back(a);
    o.argv.push_back(prompt);
    o.env = wildws::childEnvironment({"WILD_WORKSPACE_*", "WILDWS_*"});
    o.cwd = home.path();
    o.pty = true;
    o.ptyCols = 200;
    return wildws::ChildProcess::spawn(o);
}

} // namespace

TEST_CASE("agent run on a terminal asks Allow Bash: npm test? [y]es, [a]lways, [n]o", "[cli][pty]") {
    wt::TempDir home;
    SECTION("a: allowed for the conversation") {
        auto c = runOnPty(home, "ask npm test");
        std::string all;
        readUntil(c, all, "Allow Bash: npm test? [y]es, [a]lways, [n]o");
        INFO(all);
        REQUIRE(wt::contains(all, "Allow Bash: npm test? [y]es, [a]lways, [n]o"));
        c.writeStdin("maybe\r"); // not an answer: asked again
        readUntil(c, all, "[n]o", 5s);
        c.writeStdin("a\r");
        readUntil(c, all, "ran: npm test");
        auto st = c.waitExited(15s);
        readUntil(c, all, "\x04", 1s); // the rest, until the end of output
        INFO(all);
        REQUIRE(st);
        CHECK(st->value() == 0);
        CHECK(wt::contains(all, "ran: npm test"));
        CHECK(wt::contains(all, "\"destination\":\"session\""));
        c.finish();
    }
    SECTION("n: denied") {
        auto c = runOnPty(home, "ask rm -rf build");
        std::string all;
        readUntil(c, all, "Allow Bash: rm -rf build? [y]es, [a]lways, [n]o");
        c.writeStdin("n\r");
        readUntil(c, all, "The owner said no.");
        INFO(all);
        CHECK(wt::contains(all, "failed: The owner said no."));
        REQUIRE(c.waitExited(15s));
        c.finish();
    }
}

TEST_CASE("agent run without a terminal denies with one clear line unless --allow names the tool", "[cli][prompts]") {
    wt::TempDir home;
    auto denied = ai::agent(home.path(), {"agent", "run", "ask npm test"});
    INFO(denied.out << denied.err);
    CHECK(wt::contains(denied.err, "denied Bash: npm test - no terminal to ask you on; run in a terminal to be "
                                   "asked, or pass --allow Bash\n"));
    CHECK(wt::contains(denied.out, "failed: The owner could not be asked (no terminal), so this was denied."));

    auto other = ai::agent(home.path(), {"agent", "run", "--allow", "Edit,Write", "ask npm test"});
    CHECK(wt::contains(other.err, "denied Bash: npm test"));

    auto allowed = ai::agent(home.path(), {"agent", "run", "--allow", "Edit, Bash", "ask npm test"});
    INFO(allowed.out << allowed.err);
    CHECK(allowed.code == 0);
    CHECK(wt::contains(allowed.err, "allowed Bash: npm test (--allow)"));
    CHECK(wt::contains(allowed.out, "ok: ran: npm test"));
}

TEST_CASE("agent run with codex: its permissions request and question are denied without a terminal, naming what was asked", "[cli][prompts]") {
    wt::TempDir home;
    auto perms = ai::agent(home.path(), {"agent", "run", "--agent", "codex", "perms"});
    INFO(perms.out << perms.err);
    CHECK(wt::contains(perms.err, "denied permissions: network access, write /tmp/proj/out - no terminal to ask you on; "
                                  "run in a terminal to be asked, or pass --allow permissions\n"));
    CHECK(wt::contains(perms.out, R"(permissions: {"permissions":{},"scope":"turn"})"));
    auto question = ai::agent(home.path(), {"agent", "run", "--agent", "codex", "question"});
    INFO(question.out << question.err);
    CHECK(wt::contains(question.err, "denied AskUserQuestion - no terminal to ask you on; answer it in a terminal or on the page\n"));
    CHECK(wt::contains(question.out, R"(answers: {"answers":{}})"));
}

TEST_CASE("agent list says how each agent is driven", "[cli]") {
    wt::TempDir home;
    auto table = ai::agent(home.path(), {"agent", "list"});
    CHECK(wt::contains(table.out, "[default], via stream-json (live)"));
    auto oneShot = ai::agent(home.path(), {"agent", "list"}, {}, {{"claude_interactive", "false"}});
    CHECK(wt::contains(oneShot.out, "[default], via print (one-shot)"));
}
