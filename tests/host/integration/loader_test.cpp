// The loader against real fixture libraries, through the real binary.
#include "fixtures.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include <sys/stat.h>

#include <csignal>

namespace {

struct Row {
    std::string state, reason, version;
};

std::map<std::string, Row> pluginTable(const std::string& home, const std::vector<std::string>& extraArgs) {
    std::vector<std::string> args = extraArgs;
    args.push_back("plugins");
    args.push_back("--json");
    auto r = wt::wildws(home, args);
    REQUIRE((r.code == 0 || r.code == 1)); // 1 when a plugin failed to load
    auto root = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    std::map<std::string, Row> rows;
    auto list = root->getArray("plugins");
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto o = list->getObject(static_cast<unsigned>(i));
        rows[o->getValue<std::string>("name") + "@" + o->getValue<std::string>("file")] = {
            o->getValue<std::string>("state"), o->getValue<std::string>("reason"), o->getValue<std::string>("version")};
    }
    return rows;
}

Row rowOf(const std::map<std::string, Row>& rows, const std::string& dir, const std::string& name) {
    auto it = rows.find(name + "@" + dir + "/wildws-" + name + ".so");
    REQUIRE(it != rows.end());
    return it->second;
}

} // namespace

TEST_CASE("every failing fixture gets its state and exact reason while the good one keeps working", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok", "badabi", "noentry", "throwsinsetup", "duproute", "dupcommand",
                                             "unresolved", "wrongname"});
    auto rows = pluginTable(home.path(), {"--plugins-dir", dir});

    CHECK(rowOf(rows, dir, "ok").state == "duplicate");

    auto bad = rowOf(rows, dir, "badabi");
    CHECK(bad.state == "incompatible-abi");
    CHECK(bad.reason == "built for wildws SDK ABI 99, this wildws 0.1.0 speaks ABI 3 - rebuild it against wildws-sdk 0.1.0");

    auto noEntry = rowOf(rows, dir, "noentry");
    CHECK(noEntry.state == "no-entry-point");
    CHECK(noEntry.reason == "has no wildws_abi_version symbol, so it is not a wildws plugin - add "
                            "WILDWS_PLUGIN(YourClass) to one .cpp and build it with wildws_add_plugin()");

    auto thrower = rowOf(rows, dir, "throwsinsetup");
    CHECK(thrower.state == "setup-failed");
    CHECK(thrower.reason == "setup() failed and was rolled back: cannot find my config");

    // Files load in name order: dupcommand and duproute come before ok and win.
    CHECK(rowOf(rows, dir, "dupcommand").state == "loaded");
    CHECK(rowOf(rows, dir, "duproute").state == "loaded");

    auto unresolved = rowOf(rows, dir, "unresolved");
    CHECK(unresolved.state == "open-failed");
    CHECK(wt::contains(unresolved.reason, "cannot be opened: "));
    CHECK(wt::contains(unresolved.reason, "undefined symbol: wildws_fixture_symbol_that_does_not_exist"));
    CHECK(wt::contains(unresolved.reason, "- rebuild it against this wildws, or install what it links to"));

    auto wrong = rowOf(rows, dir, "wrongname");
    CHECK(wrong.state == "setup-failed");
    CHECK(wrong.reason == "says its name is 'somethingelse' but the file is named for 'wrongname' - rename the file to "
                          "wildws-somethingelse.so or fix info().name");
}

TEST_CASE("duplicates name both owners and are rolled back whole", "[integration][loader]") {
    wt::TempDir home;
    // Directories load in the order given, so "ok" owns the command and route first.
    auto first = pluginsDir(home / "a", std::vector<std::string>{"ok"});
    auto second = pluginsDir(home / "b", std::vector<std::string>{"dupcommand", "duproute"});
    auto rows = pluginTable(home.path(), {"--plugins-dir", first, "--plugins-dir", second});
    auto dupCommand = rowOf(rows, second, "dupcommand");
    CHECK(dupCommand.state == "duplicate");
    CHECK(dupCommand.reason == "not loaded: command 'ok hello' is already registered by plugin 'ok'; plugin "
                               "'dupcommand' cannot register it too - disable one of them in wildws.ini");
    auto dupRoute = rowOf(rows, second, "duproute");
    CHECK(dupRoute.state == "duplicate");
    CHECK(dupRoute.reason == "not loaded: route GET /api/ok/ping (workspace) is already registered by plugin "
                             "'ok'; plugin 'duproute' cannot register it too - disable one of them in wildws.ini");

    // Rolled back whole: the command duproute registered before its clash is gone.
    auto extra = wt::wildws(home.path(), {"--plugins-dir", first, "--plugins-dir", second, "duproute", "extra"});
    CHECK(extra.code == 2);
    CHECK(wt::contains(extra.err, "wildws: unknown command 'duproute'"));
    // And the owner still works.
    auto hello = wt::wildws(home.path(), {"--plugins-dir", first, "--plugins-dir", second, "ok", "hello"});
    CHECK(hello.code == 0);
    CHECK(hello.out == "hello world from ok\n");
}

TEST_CASE("a plugin whose setup throws leaves no command behind", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok", "throwsinsetup"});
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "thrower", "run"});
    CHECK(r.code == 2);
    CHECK(wt::contains(r.err, "wildws: unknown command 'thrower'"));
    CHECK(wt::contains(r.err, "wildws: [warning] [wildws] plugin 'throwsinsetup' (" + dir +
                                  "/wildws-throwsinsetup.so): setup() failed and was rolled back: cannot find my config"));
    auto ok = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello", "--name", "sam"});
    CHECK(ok.code == 0);
    CHECK(ok.out == "hello sam from ok\n");
}

TEST_CASE("a plugin disabled in config is never opened", "[integration][loader]") {
    wt::TempDir home;
    // An unloadable library proves it is never opened: it would be open-failed otherwise.
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok", "unresolved", "badabi"});
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = unresolved\n\n[plugin.badabi]\nenabled = false\n");
    auto rows = pluginTable(home.path(), {"--plugins-dir", dir});
    CHECK(rowOf(rows, dir, "unresolved").state == "disabled");
    CHECK(rowOf(rows, dir, "unresolved").reason == "disabled in " + home / "wildws.ini" + " ([plugins] disable)");
    CHECK(rowOf(rows, dir, "badabi").state == "disabled");
    CHECK(rowOf(rows, dir, "badabi").reason == "disabled in " + home / "wildws.ini" + " ([plugin.badabi] enabled = false)");
    CHECK(rowOf(rows, dir, "ok").state == "loaded");
    auto quiet = wt::wildws(home.path(), {"--plugins-dir", dir, "plugins"});
    CHECK_FALSE(wt::contains(quiet.err, "unresolved"));
}

TEST_CASE("a world-writable plugin directory or file is refused", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    ::chmod(dir.c_str(), 0777);
    auto rows = pluginTable(home.path(), {"--plugins-dir", dir});
    CHECK(rowOf(rows, dir, "ok").state == "unsafe-permissions");
    CHECK(rowOf(rows, dir, "ok").reason == "not loaded: " + dir +
                                               " is world-writable (mode 0777), so another user could replace the "
                                               "code - run: chmod go-w " + dir);
    ::chmod(dir.c_str(), 0755);
    auto file = dir + "/wildws-ok.so";
    ::chmod(file.c_str(), 0775);
    rows = pluginTable(home.path(), {"--plugins-dir", dir});
    CHECK(rowOf(rows, dir, "ok").state == "unsafe-permissions");
    CHECK(rowOf(rows, dir, "ok").reason == "not loaded: " + file +
                                               " is group-writable (mode 0775), so another user could replace the "
                                               "code - run: chmod go-w " + file);
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello"});
    CHECK(r.code == 2);
}

TEST_CASE("the same plugin in two directories loads once", "[integration][loader]") {
    wt::TempDir home;
    auto a = pluginsDir(home / "a", std::vector<std::string>{"ok"});
    auto b = pluginsDir(home / "b", std::vector<std::string>{"ok"});
    auto rows = pluginTable(home.path(), {"--plugins-dir", a, "--plugins-dir", b});
    CHECK(rowOf(rows, a, "ok").state == "loaded");
    CHECK(rowOf(rows, b, "ok").state == "duplicate");
    CHECK(rowOf(rows, b, "ok").reason == "a plugin named 'ok' is already loaded from " + a +
                                             "/wildws-ok.so - remove one of the two files or disable one directory");
    // The same directory named twice is scanned once, so no duplicate row.
    auto twice = pluginTable(home.path(), {"--plugins-dir", a, "--plugins-dir", a + "/"});
    CHECK(twice.size() == 1);
}

TEST_CASE("a command that throws fails with one line and turns its plugin off", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "throw"});
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "wildws: ok throw failed: boom from ok throw\n"));
}

TEST_CASE("registering after setup is refused and reported, not a crash", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"lateregister"});
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "late", "register"});
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "wildws: late register failed: plugin 'lateregister' called Context::command after "
                              "setup() returned; register everything inside setup()"));
}

TEST_CASE("plugins log through host-owned channels into logs/<plugin>.log", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello", "--name", "logged"});
    REQUIRE(r.code == 0);
    auto log = wt::readFile(home / "logs/ok.log");
    CHECK(wt::contains(log, "[info] [ok] greeting logged"));
}

TEST_CASE("a fatal signal in plugin code is logged with the plugin and the call", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"crasher"});
    auto segv = wt::wildws(home.path(), {"--plugins-dir", dir, "crasher", "segv"});
    CHECK(segv.code == 128 + SIGSEGV);
    auto abortRun = wt::wildws(home.path(), {"--plugins-dir", dir, "crasher", "abort"});
    CHECK(abortRun.code == 128 + SIGABRT);
    auto log = wt::lines(wt::readFile(home / "crash.log"));
    REQUIRE(log.size() == 2);
    CHECK(wt::contains(log[0], R"("signal":"SIGSEGV","plugin":"crasher","call":"command crasher segv"})"));
    CHECK(wt::contains(log[1], R"("signal":"SIGABRT","plugin":"crasher","call":"command crasher abort"})"));
    CHECK(log[0].rfind("{\"ts\":", 0) == 0);
}

TEST_CASE("safe mode keeps a crashing plugin, or every third-party plugin, closed", "[integration][loader]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok", "crasher"});
    wt::writeFile(home / "safe-mode.json",
                  R"({"disabled":[{"plugin":"crasher","signal":"SIGSEGV","call":"GET /api/crash"}]})");
    auto rows = pluginTable(home.path(), {"--plugins-dir", dir});
    CHECK(rowOf(rows, dir, "crasher").state == "disabled");
    CHECK(rowOf(rows, dir, "crasher").reason ==
          "disabled by safe mode: crasher (SIGSEGV in GET /api/crash) - run 'wildws always-on start "
          "--clear-safe-mode' to try it again");
    CHECK(rowOf(rows, dir, "ok").state == "loaded");

    wt::writeFile(home / "safe-mode.json", R"({"disabled":[],"onlyFirstParty":true,"reason":"an unnamed crash"})");
    rows = pluginTable(home.path(), {"--plugins-dir", dir});
    CHECK(rowOf(rows, dir, "ok").state == "disabled");
    CHECK(rowOf(rows, dir, "ok").reason == "disabled by safe mode: not shipped with wildws (an unnamed crash) - run "
                                           "'wildws always-on start --clear-safe-mode' to try it again");
}
