// The CLI surface through the real binary.
#include "fixtures.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

TEST_CASE("help lists every command of every loaded plugin", "[integration][cli]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "--help"});
    CHECK(r.code == 0);
    CHECK(wt::contains(r.out, "Usage: wildws [global options] <command> [options]"));
    CHECK(wt::contains(r.out, "  ok hello      print a greeting  [ok]\n")); // aligned with "config check"
    CHECK(wt::contains(r.out, "  plugins "));
    auto one = wt::wildws(home.path(), {"--plugins-dir", dir, "help", "ok", "hello"});
    CHECK(one.code == 0);
    CHECK(wt::contains(one.out, "Usage: wildws ok hello [--name NAME]"));
    CHECK(wt::contains(one.out, "  --name NAME  who to greet"));
    auto group = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "--help"});
    CHECK(group.code == 0);
    CHECK(wt::contains(group.out, "Commands under 'ok':"));
}

TEST_CASE("usage errors are one line on stderr and exit 2", "[integration][cli]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    auto unknown = wt::wildws(home.path(), {"--plugins-dir", dir, "hepl"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err == "wildws: unknown command 'hepl'. Did you mean 'help'? Run 'wildws --help' for the list.\n");
    auto flag = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello", "--nme", "x"});
    CHECK(flag.code == 2);
    CHECK(flag.err == "wildws: ok hello: unknown option '--nme'. Did you mean '--name'? (see: wildws help ok hello)\n");
    auto missing = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello", "--name"});
    CHECK(missing.code == 2);
    CHECK(missing.err == "wildws: ok hello: option '--name' needs a value (NAME): who to greet (see: wildws help ok hello)\n");
    auto level = wt::wildws(home.path(), {"--plugins-dir", dir, "--log-level", "loud", "plugins"});
    CHECK(level.code == 2);
    CHECK(level.err ==
          "wildws: --log-level 'loud' is not a level: use trace, debug, info, warn, error, critical or off\n");
    auto global = wt::wildws(home.path(), {"--plugins-dir", dir, "plugins", "--config"});
    CHECK(global.code == 2);
    CHECK(global.err == "wildws: option '--config' needs a value (FILE)\n");
}

TEST_CASE("a malformed config file stops the command with its file and line", "[integration][cli]") {
    wt::TempDir home;
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable\n");
    auto r = wt::wildws(home.path(), {"plugins"});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: " + home / "wildws.ini" + ":2: expected 'key = value', got 'disable' - fix or remove that line\n");
}

TEST_CASE("version and the home directory", "[integration][cli]") {
    wt::TempDir base;
    auto home = base / "nested/home";
    auto r = wt::wildws(home, {"version"});
    CHECK(r.code == 0);
    CHECK(r.out == "wildws 0.1.0 (SDK ABI 3)\n");
    struct stat st {};
    CHECK(::stat(home.c_str(), &st) != 0); // read-only: nothing created
    CHECK(wt::wildws(home, {"open"}).code == 0);
    REQUIRE(::stat(home.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    auto viaEnv = wt::run({WILDWS_BIN, "open"}, {{{"WILD_WORKSPACE_HOME", base / "envhome"}}, {}, "", "", std::chrono::milliseconds(10000)});
    CHECK(viaEnv.code == 0);
    CHECK(::stat((base / "envhome").c_str(), &st) == 0);
}
