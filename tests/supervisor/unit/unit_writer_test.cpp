#include "unit_writer.hpp"

#include "wildws_test.hpp"

#include <catch2/catch.hpp>

using namespace wildws::supervisor;

TEST_CASE("supervisor systemd words are quoted only when needed", "[supervisor][unit]") {
    CHECK(systemdWord("/usr/bin/wildws") == "/usr/bin/wildws");
    CHECK(systemdWord("--home") == "--home");
    CHECK(systemdWord("plugin.supervisor.backoff_start_ms=100") == "plugin.supervisor.backoff_start_ms=100");
    CHECK(systemdWord("/home/me/My Projects") == "\"/home/me/My Projects\"");
    CHECK(systemdWord("a\"b") == "\"a\\\"b\"");
    CHECK(systemdWord("a\\b") == "\"a\\\\b\"");
    CHECK(systemdWord("100%") == "100%%");
    CHECK(systemdWord("$HOME") == "$$HOME");
    CHECK(systemdWord("") == "\"\"");
}

TEST_CASE("supervisor unit text runs always-on run with Restart=on-failure", "[supervisor][unit]") {
    UnitSpec spec;
    spec.execStart = {"/opt/wildws/bin/wildws", "--home", "/home/me/.wild-workspace", "always-on", "run"};
    spec.environment = {{"PATH", "/usr/bin:/home/me/.local/bin"}};
    spec.version = "0.1.0";
    spec.stopTimeoutSeconds = 20;
    auto text = unitText(spec);
    CHECK(wt::contains(text, "\nExecStart=/opt/wildws/bin/wildws --home /home/me/.wild-workspace always-on run\n"));
    CHECK(wt::contains(text, "\nRestart=on-failure\n"));
    CHECK(wt::contains(text, "\nRestartPreventExitStatus=3\n"));
    CHECK(wt::contains(text, "\nKillMode=mixed\n"));
    CHECK(wt::contains(text, "\nTimeoutStopSec=20s\n"));
    CHECK(wt::contains(text, "\nEnvironment=PATH=/usr/bin:/home/me/.local/bin\n"));
    CHECK(wt::contains(text, "[Install]\nWantedBy=default.target\n"));
}

TEST_CASE("supervisor user unit path follows XDG_CONFIG_HOME then HOME", "[supervisor][unit]") {
    CHECK(userUnitPath("/x/cfg", "/home/me") == "/x/cfg/systemd/user/wildws.service");
    CHECK(userUnitPath(nullptr, "/home/me") == "/home/me/.config/systemd/user/wildws.service");
    CHECK(userUnitPath("relative", "/home/me") == "/home/me/.config/systemd/user/wildws.service");
    CHECK(userUnitPath(nullptr, nullptr).empty());
}
