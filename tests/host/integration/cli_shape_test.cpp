// One server per home, global --json, exit codes, plugin usage errors,
// read-only commands that create nothing, and the cold-start fast path.
#include "fixtures.hpp"
#include "plugins/command_owners.hpp"
#include "plugins/plugin_host.hpp"
#include "server.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <thread>

namespace {

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir)) out.push_back(e.path().string());
    return out;
}

} // namespace

TEST_CASE("a second serve or daemon on the same home exits 1 naming the first", "[integration][lock]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    wt::Server first(home.path(), "serve", {"--plugins-dir", dir});
    const auto pidBefore = wt::readFile(home / "server.pid");
    auto second = wt::wildws(home.path(), {"--plugins-dir", dir, "serve", "--port", "0"});
    CHECK(second.code == 1);
    CHECK(second.err == "wildws serve is already running for this home (pid " + std::to_string(first.child().pid()) +
                            ", http://127.0.0.1:" + std::to_string(first.port()) + ")\n");
    CHECK(second.out.empty());
    CHECK(wt::readFile(home / "server.pid") == pidBefore); // never written or removed by the loser

    // Another role is another lock: a daemon runs beside it, and a second daemon does not.
    wt::Server daemon(home.path(), "daemon", {"--plugins-dir", dir});
    auto secondDaemon = wt::wildws(home.path(), {"--plugins-dir", dir, "daemon", "--port", "0"});
    CHECK(secondDaemon.code == 1);
    CHECK(secondDaemon.err == "wildws daemon is already running for this home (pid " +
                                  std::to_string(daemon.child().pid()) + ", http://127.0.0.1:" +
                                  std::to_string(daemon.port()) + ")\n");
    struct stat st {};
    REQUIRE(::stat((home / "serve.lock").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // Once the holder is gone the next one wins.
    first.child().signal(SIGTERM);
    REQUIRE(first.child().wait(std::chrono::seconds(10)).has_value());
    wt::Server next(home.path(), "serve", {"--plugins-dir", dir});
    CHECK(next.port() > 0);
}

TEST_CASE("a global --json before the command works, and version and open have --json", "[integration][cli]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    auto version = wt::wildws(home.path(), {"--plugins-dir", dir, "--json", "version"});
    CHECK(version.code == 0);
    CHECK(version.out == "{\"abi\":3,\"version\":\"0.1.0\"}\n");
    auto after = wt::wildws(home.path(), {"--plugins-dir", dir, "version", "--json"});
    CHECK(after.out == version.out);
    auto plugins = wt::wildws(home.path(), {"--plugins-dir", dir, "--json", "plugins"});
    CHECK(plugins.code == 0);
    CHECK(plugins.out.rfind("{\"plugins\":[", 0) == 0);
    auto open = wt::wildws(home.path(), {"--plugins-dir", dir, "--json", "open"});
    CHECK(open.code == 0);
    auto o = Poco::JSON::Parser().parse(open.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(o->getValue<bool>("running") == false);
    CHECK(o->getValue<int>("port") == 5173);
    CHECK(o->getValue<std::string>("url").rfind("http://127.0.0.1:5173/login?code=", 0) == 0);
    auto none = wt::wildws(home.path(), {"--plugins-dir", dir, "--json", "ok", "hello"});
    CHECK(none.code == 2);
    CHECK(none.err == "wildws: ok hello: has no JSON output, so --json does not apply\n");
}

TEST_CASE("exit codes: help of nothing is 2, plugins is 1 when a plugin failed", "[integration][cli]") {
    wt::TempDir home;
    auto good = pluginsDir(home / "good", std::vector<std::string>{"ok"});
    auto help = wt::wildws(home.path(), {"--plugins-dir", good, "help", "nosuch"});
    CHECK(help.code == 2);
    CHECK(help.err == "wildws: unknown command 'nosuch'. Run 'wildws --help' for the list.\n");
    CHECK(wt::wildws(home.path(), {"--plugins-dir", good, "plugins"}).code == 0);
    auto bad = pluginsDir(home / "bad", std::vector<std::string>{"ok", "badabi"});
    CHECK(wt::wildws(home.path(), {"--plugins-dir", bad, "plugins"}).code == 1);
    CHECK(wt::wildws(home.path(), {"--plugins-dir", bad, "plugins", "--json"}).code == 1);
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = badabi\n"); // disabled on purpose is fine
    CHECK(wt::wildws(home.path(), {"--plugins-dir", bad, "plugins"}).code == 0);
}

TEST_CASE("a plugin's usage error starts with wildws and the command", "[integration][cli]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello", "--name", "?"});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: ok hello: name must be a word\n");
}

TEST_CASE("read-only commands create no files or directories", "[integration][cli]") {
    wt::TempDir base;
    const std::string home = base / "home";
    for (std::vector<std::string> args : {std::vector<std::string>{"--help"}, {"version"}, {"plugins"},
                                          {"support", "status"}, {"config", "check"}, {"help", "support"}}) {
        auto r = wt::wildws(home, args);
        CHECK(r.code == 0);
        CHECK_FALSE(std::filesystem::exists(home));
    }
    // Even a warning (a plugin that fails to load) goes to stderr only.
    auto bad = pluginsDir(base / "bad", std::vector<std::string>{"badabi"});
    auto failing = wt::wildws(home, {"--plugins-dir", bad, "plugins"});
    CHECK(failing.code == 1);
    CHECK(wt::contains(failing.err, "[warning] [wildws] plugin 'badabi'"));
    CHECK_FALSE(std::filesystem::exists(home));
    std::filesystem::create_directory(home);
    std::filesystem::permissions(home, std::filesystem::perms(0700));
    for (std::vector<std::string> args : {std::vector<std::string>{"--help"}, {"version"}, {"plugins"},
                                          {"support", "status"}}) {
        CHECK(wt::wildws(home, args).code == 0);
        CHECK(entries(home).empty());
    }
    // A command that writes makes the home 0700.
    CHECK(wt::wildws(base / "other", {"open"}).code == 0);
    struct stat st {};
    REQUIRE(::stat((base / "other").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("support status sets up only the consent plugin", "[integration][cli]") {
    wt::TempDir home;
    auto extra = pluginsDir(home / "extra", std::vector<std::string>{"setupmarker"});
    wt::RunOptions env;
    env.env["WILDWS_TEST_MARKER"] = home / "marker";
    auto status = wt::wildws(home.path(), {"--plugins-dir", WILDWS_PLUGINS_DIR, "--plugins-dir", extra, "support", "status"}, env);
    CHECK(status.code == 0);
    CHECK(wt::contains(status.out, "support access: OFF"));
    CHECK_FALSE(std::filesystem::exists(home / "marker"));
    auto json = wt::wildws(home.path(), {"--plugins-dir", WILDWS_PLUGINS_DIR, "--plugins-dir", extra, "--json", "support", "status"}, env);
    CHECK(json.code == 0);
    CHECK_FALSE(std::filesystem::exists(home / "marker"));
    // Any other command sets every plugin up.
    CHECK(wt::wildws(home.path(), {"--plugins-dir", WILDWS_PLUGINS_DIR, "--plugins-dir", extra, "plugins"}, env).code == 0);
    CHECK(std::filesystem::exists(home / "marker"));
}

// What the dynamic loader opened (LD_DEBUG=files, written to LD_DEBUG_OUTPUT.<pid>).
std::string loadedFiles(const std::string& home, const std::vector<std::string>& args) {
    const std::string dir = home + "/ld";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directory(dir);
    wt::RunOptions env;
    env.env["LD_DEBUG"] = "files";
    env.env["LD_DEBUG_OUTPUT"] = dir + "/ld";
    auto r = wt::wildws(home, args, env);
    REQUIRE(r.code == 0);
    std::string all;
    for (auto& e : std::filesystem::directory_iterator(dir)) all += wt::readFile(e.path().string());
    return all;
}

TEST_CASE("support status opens the relay plugin only when its section sets a key", "[integration][cli]") {
    wt::TempDir home;
    const std::vector<std::string> args{"--plugins-dir", WILDWS_PLUGINS_DIR, "support", "status"};
    auto off = loadedFiles(home.path(), args);
    CHECK(wt::contains(off, "wildws-consent.so"));
    CHECK_FALSE(wt::contains(off, "wildws-relay.so"));
    CHECK_FALSE(wt::contains(off, "libnats"));
    // Configured, the relay's line is part of the report; a key it does not
    // know (a typo) opens it too, so the warning still shows.
    wt::writeFile(home / "wildws.ini", "[plugin.relay]\nurl = nats://127.0.0.1:4999\n");
    CHECK(wt::contains(loadedFiles(home.path(), args), "wildws-relay.so"));
    auto on = wt::wildws(home.path(), args);
    CHECK(wt::contains(on.out, "  relay  : not connected"));
    wt::writeFile(home / "wildws.ini", "[plugin.relay]\nulr = nats://127.0.0.1:4999\n");
    auto typo = wt::wildws(home.path(), args);
    CHECK(typo.code == 0);
    CHECK(wt::contains(typo.err, "unknown key 'ulr' in [plugin.relay] - did you mean 'url'?"));
    std::filesystem::remove(home / "wildws.ini");
    CHECK(wt::contains(loadedFiles(home.path(), {"--set", "plugin.relay.url=nats://127.0.0.1:4999", "--plugins-dir",
                                                 WILDWS_PLUGINS_DIR, "support", "status"}),
                       "wildws-relay.so"));
}

TEST_CASE("SIGTERM ends a command stuck where it never checks for interrupts", "[integration][cli]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"setupmarker"});
    wt::Child child({WILDWS_BIN, "--home", home.path(), "--plugins-dir", dir, "marker", "block"});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!wt::contains(child.output(), "blocking") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(wt::contains(child.output(), "blocking"));
    child.signal(SIGTERM);
    auto code = child.wait(std::chrono::seconds(20));
    REQUIRE(code.has_value());
    CHECK(*code == 128 + SIGTERM);
    CHECK(wt::contains(child.output(), "wildws: still running 5s after signal 15 and not stopping; exiting"));
}

TEST_CASE("the host's list of first-party commands matches what the plugins register", "[integration][cli]") {
    wt::TempDir home;
    auto help = wt::wildws(home.path(), {"--help"});
    REQUIRE(help.code == 0);
    int checked = 0;
    for (auto& line : wt::lines(help.out)) {
        // "  support status  is support access on ...  [consent]"
        if (line.size() < 4 || line.rfind("  ", 0) != 0 || line.back() != ']') continue;
        auto open = line.rfind('[');
        std::string owner = line.substr(open + 1, line.size() - open - 2);
        if (!wildws::host::isFirstParty(owner)) continue;
        INFO(line);
        std::string command = line.substr(2, line.find("  ", 2) - 2);
        CHECK(wildws::host::firstPartyOwnerOf(command) == std::optional<std::string>(owner));
        if (auto lone = wildws::host::standaloneCommandOwner(command)) CHECK(*lone == owner);
        ++checked;
    }
    CHECK(checked >= 10);
}
