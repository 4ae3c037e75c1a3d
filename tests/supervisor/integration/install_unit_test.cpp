// install-unit: a systemd user unit that systemd-analyze accepts.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

using namespace st;

TEST_CASE("supervisor install-unit writes a user unit systemd-analyze accepts", "[supervisor][integration]") {
    Home home;
    wt::TempDir user;
    wt::RunOptions env;
    env.env["HOME"] = user.path();
    env.unsetEnv = {"XDG_CONFIG_HOME"};
    auto r = home.cli({"always-on", "install-unit"}, env);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    std::string path = user / ".config/systemd/user/wildws.service";
    CHECK(wt::contains(r.out, "wrote " + path));
    CHECK(wt::contains(r.out, "\n  systemctl --user daemon-reload\n"));
    CHECK(wt::contains(r.out, "\n  systemctl --user enable --now wildws.service\n"));
    auto unit = wt::readFile(path);
    REQUIRE_FALSE(unit.empty());
    CHECK(wt::contains(unit, std::string("\nExecStart=") + WILDWS_BIN + " --home " + home.path() + " --plugins-dir " +
                                 home.pluginsDir()));
    CHECK(wt::contains(unit, " always-on run\n"));
    CHECK(wt::contains(unit, "\nRestart=on-failure\n"));
    CHECK(wt::contains(unit, "\nEnvironment=PATH="));
    CHECK(wt::contains(unit, "--set serve.port=" + std::to_string(home.serverPort())));
    auto json = home.cli({"always-on", "install-unit", "--json"}, env);
    REQUIRE(json.code == 0);
    CHECK(jsonAt(json.out, "file") == path);
    CHECK(jsonAt(json.out, "supervisorRunning") == "false");
    CHECK(wt::contains(json.out, "\"systemctl --user enable --now wildws.service\""));

    if (::access("/usr/bin/systemd-analyze", X_OK) != 0 && ::access("/bin/systemd-analyze", X_OK) != 0) {
        WARN("systemd-analyze is not installed: the unit file was not verified");
        return;
    }
    auto verify = wt::run({"/usr/bin/env", "systemd-analyze", "verify", path});
    INFO(verify.out << verify.err);
    CHECK(verify.code == 0);
    // Anything it says about our unit is a finding (it may talk about others).
    CHECK_FALSE(wt::contains(verify.out + verify.err, "wildws.service:"));
}
