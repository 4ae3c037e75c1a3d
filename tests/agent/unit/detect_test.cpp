// Finding agent CLIs: PATH, then the usual install places (nvm's included).
#include "support.hpp"

#include "detect.hpp"

#include <catch2/catch.hpp>

#include <wildws_test.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

using namespace wildws::agent;

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

void makeExecutable(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    wt::writeFile(path, "#!/bin/sh\necho 1.0\n", 0755);
}

} // namespace

TEST_CASE("an agent CLI is found in PATH first, then in install places like nvm's", "[detect]") {
    wt::TempDir home;
    EnvGuard h("HOME", home.path());
    EnvGuard p("PATH", home / "bin");
    CHECK_FALSE(findExecutable("claude", {"~/.local/bin", "~/.nvm/versions/node/*/bin"}));
    makeExecutable(home / ".nvm/versions/node/v20.11.0/bin/claude");
    makeExecutable(home / ".nvm/versions/node/v18.0.0/bin/claude");
    CHECK(findExecutable("claude", {"~/.local/bin", "~/.nvm/versions/node/*/bin"}) ==
          home / ".nvm/versions/node/v20.11.0/bin/claude");
    makeExecutable(home / "bin/claude");
    CHECK(findExecutable("claude", {"~/.nvm/versions/node/*/bin"}) == home / "bin/claude");
    wt::writeFile(home / "bin/codex", "not executable", 0644);
    CHECK_FALSE(findExecutable("codex", {}));
}

TEST_CASE("probe explains a configured path that cannot run, and reads the version", "[detect]") {
    ProbeSpec spec;
    spec.configuredPath = "/nonexistent/claude";
    spec.configKey = "claude_path";
    spec.executable = "claude";
    spec.installHint = "install it";
    auto d = probe(spec, {});
    CHECK_FALSE(d.found);
    CHECK(d.reason == "[plugin.agent] claude_path = /nonexistent/claude: No such file or directory");
    CHECK(d.installHint == "install it");
    spec.configuredPath = FAKE_CODEX;
    d = probe(spec, {});
    CHECK(d.found);
    CHECK(d.version == "codex-cli 0.46.0");
    spec.probeVersion = false;
    CHECK(probe(spec, {}).version.empty());
}
