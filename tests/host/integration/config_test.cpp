// wildws.ini means what it says (issue 16): the README's example, inline
// comments, misspelt plugin names (fail closed for servers), unknown keys,
// `config check`, [plugins] dirs and --plugins-dir.
#include "fixtures.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include <filesystem>

namespace {

std::map<std::string, std::string> states(const std::string& home, std::vector<std::string> args, int* code = nullptr) {
    args.push_back("plugins");
    args.push_back("--json");
    auto r = wt::wildws(home, args);
    if (code) *code = r.code;
    auto root = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    std::map<std::string, std::string> out;
    auto list = root->getArray("plugins");
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto o = list->getObject(static_cast<unsigned>(i));
        out[o->getValue<std::string>("name")] = o->getValue<std::string>("state");
    }
    return out;
}

std::string readmeIniBlock() {
    auto readme = wt::readFile(std::string(WILDWS_SOURCE_DIR) + "/README.md");
    auto start = readme.find("```ini\n");
    REQUIRE(start != std::string::npos);
    start += 7;
    auto end = readme.find("```", start);
    REQUIRE(end != std::string::npos);
    return readme.substr(start, end - start);
}

} // namespace

TEST_CASE("the README's wildws.ini example works as written", "[integration][config]") {
    wt::TempDir home;
    auto block = readmeIniBlock();
    REQUIRE(wt::contains(block, "; never opened")); // the inline comments are part of the test
    wt::writeFile(home / "wildws.ini", block);
    int code = -1;
    auto s = states(home.path(), {}, &code);
    CHECK(s["agent"] == "disabled");
    CHECK(s["consent"] == "disabled");
    CHECK(s["supervisor"] == "loaded");
    auto quiet = wt::wildws(home.path(), {"plugins"});
    CHECK_FALSE(wt::contains(quiet.err, "warning"));
    auto check = wt::wildws(home.path(), {"config", "check"});
    CHECK(check.code == 0);
    CHECK(wt::contains(check.out, "no problems found"));
}

TEST_CASE("inline comments after a value are not part of it", "[integration][config]") {
    wt::TempDir home;
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = support_api ; comment\n[plugin.supervisor]  # its own\n"
                                       "enabled = false # x\n");
    auto s = states(home.path(), {});
    CHECK(s["support_api"] == "disabled");
    CHECK(s["supervisor"] == "disabled");
    CHECK(s["agent"] == "loaded");
}

TEST_CASE("a misspelt plugin in [plugins] disable stops serve and daemon and warns elsewhere", "[integration][config]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = okk\n");
    const std::string problem = home / "wildws.ini" + ":2: [plugins] disable names 'okk', but there is no plugin file "
                                "wildws-okk.so in " + dir + " - did you mean 'ok'? (serve and daemon refuse to start "
                                "until it names a real plugin)";
    for (const char* role : {"serve", "daemon"}) {
        auto r = wt::wildws(home.path(), {"--plugins-dir", dir, role, "--port", "0"});
        CHECK(r.code == 1);
        CHECK(r.err == "wildws: " + std::string(role) + ": refusing to start: " + problem + "\n");
        CHECK_FALSE(std::filesystem::exists(home / (std::string(role) == "serve" ? "server.pid" : "daemon.pid")));
    }
    auto other = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello"});
    CHECK(other.code == 0);
    CHECK(other.err == "wildws: warning: " + problem + "\n");
}

TEST_CASE("an unknown key warns with the closest known key", "[integration][config]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    wt::writeFile(home / "wildws.ini", "[serve]\nprot = 6000\n[plugins]\ndisabled = ok\n[plugin.ok]\ngreting = hi\n"
                                       "[serv]\nport = 1\n");
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello"});
    CHECK(r.code == 0);
    const std::string ini = home / "wildws.ini";
    CHECK(wt::contains(r.err, "wildws: warning: " + ini + ":2: unknown key 'prot' in [serve] - did you mean 'port'?"));
    CHECK(wt::contains(r.err, "wildws: warning: " + ini + ":4: unknown key 'disabled' in [plugins] - did you mean "
                              "'disable'? (known: disable, dirs)\n"));
    CHECK(wt::contains(r.err, "wildws: warning: " + ini + ":6: unknown key 'greting' in [plugin.ok] - did you mean "
                              "'greeting'? (known: greeting)\n"));
    CHECK(wt::contains(r.err, "wildws: warning: " + ini + ":8: unknown section [serv] - did you mean serve?"));
    auto set = wt::wildws(home.path(), {"--plugins-dir", dir, "--set", "daemon.thread=4", "ok", "hello"});
    CHECK(wt::contains(set.err, "wildws: warning: --set: unknown key 'thread' in [daemon] - did you mean 'threads'?"));
}

TEST_CASE("config check prints each value with where it came from and exits 1 on a problem", "[integration][config]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    const std::string ini = home / "wildws.ini";
    wt::writeFile(ini, "[serve]\nport = 6000   ; the owner's\n");
    wt::RunOptions env;
    env.env["WILDWS_SET"] = "daemon.port=7000";
    auto r = wt::wildws(home.path(), {"--plugins-dir", dir, "--set", "serve.threads=8", "config", "check"}, env);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    auto lines = wt::lines(r.out);
    auto has = [&](const std::string& start, const std::string& end) {
        for (auto& l : lines)
            if (l.rfind("  " + start, 0) == 0 && l.size() >= end.size() && l.compare(l.size() - end.size(), end.size(), end) == 0)
                return true;
        return false;
    };
    CHECK(lines[0] == "config file: " + ini);
    CHECK(has("port = 6000 ", ini + ":2"));
    CHECK(has("threads = 8 ", "--set"));
    CHECK(has("port = 7000 ", "WILDWS_SET"));
    CHECK(has("bind = 127.0.0.1 ", "default"));
    CHECK(has("greeting = hello ", "default"));
    CHECK(has("dirs = ", "default"));
    CHECK(wt::contains(r.out, "\nno problems found\n"));

    auto json = wt::wildws(home.path(), {"--plugins-dir", dir, "--json", "config", "check"});
    CHECK(json.code == 0);
    auto root = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Object::Ptr>();
    CHECK(root->getValue<std::string>("file") == ini);
    CHECK(root->getArray("problems")->size() == 0);
    bool sawPort = false;
    auto values = root->getArray("values");
    for (std::size_t i = 0; i < values->size(); ++i) {
        auto v = values->getObject(static_cast<unsigned>(i));
        if (v->getValue<std::string>("section") == "serve" && v->getValue<std::string>("key") == "port") {
            sawPort = true;
            CHECK(v->getValue<std::string>("value") == "6000");
            CHECK(v->getValue<std::string>("source") == "file");
            CHECK(v->getValue<std::string>("where") == ini + ":2");
        }
    }
    CHECK(sawPort);

    wt::writeFile(ini, "[serve]\nprot = 6000\n");
    auto bad = wt::wildws(home.path(), {"--plugins-dir", dir, "config", "check"});
    CHECK(bad.code == 1);
    CHECK(wt::contains(bad.out, "\n1 problem:\n  " + ini + ":2: unknown key 'prot' in [serve] - did you mean 'port'?"));
    CHECK(bad.err.empty()); // printed once, in the report
}

TEST_CASE("[plugins] dirs adds plugin directories and --plugins-dir must exist", "[integration][config]") {
    wt::TempDir home;
    auto base = pluginsDir(home / "base", std::vector<std::string>{"ok"});
    pluginsDir(home / "extra", std::vector<std::string>{"setupmarker"});
    wt::writeFile(home / "wildws.ini", "[plugins]\ndirs = extra   ; relative to this file\n");
    auto s = states(home.path(), {"--plugins-dir", base});
    CHECK(s["ok"] == "loaded");
    CHECK(s["setupmarker"] == "loaded");

    wt::writeFile(home / "wildws.ini", "[plugins]\ndirs = " + home / "gone" + "\n");
    auto serve = wt::wildws(home.path(), {"--plugins-dir", base, "serve", "--port", "0"});
    CHECK(serve.code == 1);
    CHECK(serve.err == "wildws: serve: refusing to start: " + home / "wildws.ini" + ":2: [plugins] dirs names " +
                           home / "gone" + ", which does not exist - create it or remove it from the list\n");

    auto missing = wt::wildws(home.path(), {"--plugins-dir", home / "nowhere", "plugins"});
    CHECK(missing.code == 2);
    CHECK(missing.err == "wildws: --plugins-dir " + home / "nowhere" + ": no such directory - check the path (or leave "
                         "the option out to use the default plugin directories)\n");
}

TEST_CASE("a command of a disabled or missing plugin says which plugin it needs", "[integration][config]") {
    wt::TempDir home;
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = agent\n");
    auto disabled = wt::wildws(home.path(), {"agent", "list"});
    CHECK(disabled.code == 1);
    CHECK(disabled.err == "wildws: 'agent' comes from the agent plugin, which is disabled in " + home / "wildws.ini" +
                              " ([plugins] disable)\n");
    for (std::vector<std::string> args : {std::vector<std::string>{"help", "agent", "run"}, {"agent", "--help"}}) {
        auto help = wt::wildws(home.path(), args);
        CHECK(help.code == 1);
        CHECK(help.err == disabled.err);
    }
    wt::TempDir other;
    auto dir = pluginsDir(other / "plugins", std::vector<std::string>{"ok"});
    auto missing = wt::wildws(other.path(), {"--plugins-dir", dir, "support", "status"});
    CHECK(missing.code == 1);
    CHECK(missing.err == "wildws: 'support' comes from the consent plugin, which is not installed (no wildws-consent.so "
                         "in " + dir + ")\n");
}
