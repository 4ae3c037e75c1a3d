// detectAgent(): PATH first, then the usual install places (every nvm
// version, newest first), a configured path explained, the version read
// under a timeout.
#include <wildws/agent_detect.hpp>

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>

using namespace wildws;
using namespace std::chrono_literals;

namespace {

struct EnvGuard {
    std::string name;
    std::optional<std::string> old;
    EnvGuard(std::string n, const std::string& value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) old = v;
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~EnvGuard() {
        if (old) ::setenv(name.c_str(), old->c_str(), 1);
        else ::unsetenv(name.c_str());
    }
};

void makeScript(const std::string& path, const std::string& body) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    wt::writeFile(path, "#!/bin/sh\n" + body + "\n", 0755);
}

} // namespace

TEST_CASE("sdk detect: an agent CLI is found in PATH first, then in install places, newest nvm version first", "[sdk][detect]") {
    wt::TempDir home;
    EnvGuard h("HOME", home.path());
    EnvGuard p("PATH", home / "bin");
    const std::vector<std::string> dirs{"~/.local/bin", "~/.nvm/versions/node/*/bin"};
    CHECK_FALSE(findExecutable("gemini", dirs));
    makeScript(home / ".nvm/versions/node/v9.11.2/bin/gemini", "echo 9");
    makeScript(home / ".nvm/versions/node/v20.11.0/bin/gemini", "echo 20");
    makeScript(home / ".nvm/versions/node/v18.0.0/bin/gemini", "echo 18");
    CHECK(findExecutable("gemini", dirs) == home / ".nvm/versions/node/v20.11.0/bin/gemini");
    makeScript(home / "bin/gemini", "echo path");
    CHECK(findExecutable("gemini", dirs) == home / "bin/gemini");
    wt::writeFile(home / "bin/codex", "not executable", 0644);
    CHECK_FALSE(findExecutable("codex", {}));
    CHECK_FALSE(findExecutable("../bin/gemini", {}));
    CHECK(AgentProbe::usualInstallDirs().size() >= 5);
}

TEST_CASE("sdk detect: one call gives path and version, or the reason and the hint", "[sdk][detect]") {
    wt::TempDir home;
    EnvGuard h("HOME", home.path());
    EnvGuard p("PATH", home / "bin");
    auto missing = detectAgent({"gemini", "install it with npm"});
    CHECK_FALSE(missing.found);
    CHECK(missing.reason == "'gemini' was not found in PATH or the usual install places");
    CHECK(missing.installHint == "install it with npm");

    makeScript(home / ".local/bin/gemini", "echo '  gemini 0.9.1  '; echo second line");
    auto d = detectAgent({"gemini", "install it with npm"});
    CHECK(d.found);
    CHECK(d.path == home / ".local/bin/gemini");
    CHECK(d.version == "gemini 0.9.1");
    CHECK(d.reason.empty());

    AgentProbe configured("gemini");
    configured.configuredPath = "/nonexistent/gemini";
    configured.configKey = "[plugin.gemini] gemini_path";
    auto bad = detectAgent(configured);
    CHECK_FALSE(bad.found);
    CHECK(bad.reason == "[plugin.gemini] gemini_path = /nonexistent/gemini: No such file or directory");
    configured.configuredPath = home / ".local/bin";
    CHECK(detectAgent(configured).reason == "[plugin.gemini] gemini_path = " + home / ".local/bin" + ": is not a regular file");
}

TEST_CASE("sdk detect: a version probe that hangs or fails leaves the version empty", "[sdk][detect]") {
    wt::TempDir home;
    makeScript(home / "hangs", "sleep 30 & echo never-read; wait");
    AgentProbe probe("hangs");
    probe.configuredPath = home / "hangs";
    probe.timeout = 300ms;
    auto started = std::chrono::steady_clock::now();
    auto d = detectAgent(probe);
    CHECK(d.found);
    CHECK(d.version.empty());
    CHECK(std::chrono::steady_clock::now() - started < 5s);

    makeScript(home / "fails", "echo 'bad flag' >&2; exit 2");
    probe.configuredPath = home / "fails";
    CHECK(detectAgent(probe).version.empty());

    makeScript(home / "secret", "echo \"v${WILDWS_SECRET_PROBE:-clean}\"");
    EnvGuard s("WILDWS_SECRET_PROBE", "leaked");
    probe.configuredPath = home / "secret";
    CHECK(detectAgent(probe).version == "vclean"); // never a wildws variable in the child
    probe.probeVersion = false;
    CHECK(detectAgent(probe).version.empty());
}
