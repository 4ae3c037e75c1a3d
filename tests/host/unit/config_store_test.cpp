#include "app/config_store.hpp"

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

using namespace wildws::host;

namespace {
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}
} // namespace

TEST_CASE("config values come from the file, then WILDWS_SET, then --set", "[unit][config]") {
    wt::TempDir dir;
    auto file = dir / "wildws.ini";
    wt::writeFile(file, "; comment\n[serve]\nport = 6000\nbind = 127.0.0.1\n\n[plugin.agent]\nstall_seconds=30\n");
    ConfigStore fileOnly(file, true, {}, {});
    CHECK(fileOnly.get("serve.port") == std::optional<std::string>("6000"));
    CHECK(fileOnly.section("plugin.agent")->getInt("stall_seconds", 0) == 30);
    CHECK_FALSE(fileOnly.get("serve.missing").has_value());

    ConfigStore layered(file, true, {{"serve.port", "7000"}}, {{"serve.port", "6500"}, {"serve.bind", "::1"}});
    CHECK(layered.get("serve.port") == std::optional<std::string>("7000"));
    CHECK(layered.get("serve.bind") == std::optional<std::string>("::1"));
}

TEST_CASE("a malformed config file names the file and line", "[unit][config]") {
    wt::TempDir dir;
    auto file = dir / "wildws.ini";
    wt::writeFile(file, "[serve]\nport = 1\njust some words\n");
    CHECK(errorOf([&] { ConfigStore(file, true, {}, {}); }) ==
          file + ":3: expected 'key = value', got 'just some words' - fix or remove that line");
    wt::writeFile(file, "[serve\n");
    CHECK(errorOf([&] { ConfigStore(file, true, {}, {}); }) ==
          file + ":1: bad section header '[serve': expected [name] with letters, digits, '.', '_' or '-' - fix that line");
    wt::writeFile(file, "[a]\n = 3\n");
    CHECK(errorOf([&] { ConfigStore(file, true, {}, {}); }) ==
          file + ":2: bad key in '= 3': use letters, digits, '.', '_' or '-' before the '=' - fix that line");
}

TEST_CASE("a missing default file is fine, a missing --config file is not", "[unit][config]") {
    wt::TempDir dir;
    ConfigStore none(dir / "absent.ini", false, {}, {});
    CHECK_FALSE(none.fileLoaded());
    CHECK(errorOf([&] { ConfigStore(dir / "absent.ini", true, {}, {}); }) ==
          dir / "absent.ini" + ": cannot read the config file given with --config - check the path");
}

TEST_CASE("typed getters reject malformed values naming section and key", "[unit][config]") {
    wt::TempDir dir;
    auto file = dir / "wildws.ini";
    wt::writeFile(file, "[plugin.consent]\nmax_minutes = ten\nenabled = maybe\nlist = a, b ,,c\n");
    ConfigStore store(file, true, {}, {});
    auto section = store.section("plugin.consent");
    CHECK(errorOf([&] { section->getInt("max_minutes", 1); }) ==
          "[plugin.consent] max_minutes = 'ten': expected a whole number; fix it in wildws.ini");
    CHECK(errorOf([&] { section->getBool("enabled", true); }) ==
          "[plugin.consent] enabled = 'maybe': expected true or false; fix it in wildws.ini");
    CHECK(section->getList("list") == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("overrides must be SECTION.KEY=VALUE", "[unit][config]") {
    CHECK(ConfigStore::parseOverride("serve.port=1", "--set") == std::make_pair(std::string("serve.port"), std::string("1")));
    CHECK(errorOf([] { ConfigStore::parseOverride("port=1", "--set"); }) ==
          "--set: 'port=1' is not SECTION.KEY=VALUE (e.g. serve.port=6000)");
    auto env = ConfigStore::parseEnvironment("serve.port=1; plugin.agent.x = y\n");
    REQUIRE(env.size() == 2);
    CHECK(env[1].first == "plugin.agent.x");
    CHECK(env[1].second == "y");
}

TEST_CASE("inline comments after whitespace end a value or a section header", "[unit][config]") {
    wt::TempDir dir;
    auto file = dir / "wildws.ini";
    wt::writeFile(file, "[plugins]   ; plugin list\ndisable = support_api ; comment\n[plugin.agent] # own\n"
                        "enabled = false ; x\nurl = http://h/a;b#c\nempty =   ; nothing\n# whole line\n");
    ConfigStore store(file, true, {}, {});
    CHECK(store.section("plugins")->getList("disable") == std::vector<std::string>{"support_api"});
    CHECK_FALSE(store.section("plugin.agent")->getBool("enabled", true));
    CHECK(store.get("plugin.agent.url") == std::optional<std::string>("http://h/a;b#c")); // no whitespace before
    CHECK(store.get("plugin.agent.empty") == std::optional<std::string>(""));
}

TEST_CASE("every value knows where it came from", "[unit][config]") {
    wt::TempDir dir;
    auto file = dir / "wildws.ini";
    wt::writeFile(file, "[serve]\n\nport = 6000\nbind = ::1\n");
    ConfigStore store(file, true, {{"serve.port", "7000"}}, {{"serve.bind", "127.0.0.1"}, {"daemon.port", "1"}});
    auto port = store.lookup("serve.port");
    REQUIRE(port);
    CHECK(port->value == "7000");
    CHECK(store.describe(*port) == "--set");
    CHECK(store.describe(*store.lookup("serve.bind")) == "WILDWS_SET");
    ConfigStore fileOnly(file, true, {}, {});
    CHECK(fileOnly.describe(*fileOnly.lookup("serve.port")) == file + ":3");
    CHECK(store.allKeys() == std::vector<std::string>{"daemon.port", "serve.bind", "serve.port"});
    CHECK(store.keys("serve") == std::vector<std::string>{"bind", "port"});
}
