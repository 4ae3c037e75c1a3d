// The first-party plugins declare every key they read (PluginInfo::configKeys),
// so a typo in their sections warns naming the closest key, and `config check`
// shows each key's default (issues 13 and 16).
#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

TEST_CASE("config check: a typo in the agent, consent, support_api and supervisor sections names the closest key", "[integration][config]") {
    wt::TempDir home;
    const std::string ini = home / "wildws.ini";
    wt::writeFile(ini, "[plugin.agent]\nidle_secnds = 5\n"
                       "[plugin.consent]\nmax_minute = 60\n"
                       "[plugin.support_api]\naproval_seconds = 30\n"
                       "[plugin.supervisor]\nbackof_start_ms = 100\n");
    auto r = wt::wildws(home.path(), {"config", "check"});
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    CHECK(wt::contains(r.out, ini + ":2: unknown key 'idle_secnds' in [plugin.agent] - did you mean 'idle_seconds'?"));
    CHECK(wt::contains(r.out, ini + ":4: unknown key 'max_minute' in [plugin.consent] - did you mean 'max_minutes'?"));
    CHECK(wt::contains(r.out, ini + ":6: unknown key 'aproval_seconds' in [plugin.support_api] - did you mean "
                              "'approval_seconds'?"));
    CHECK(wt::contains(r.out, ini + ":8: unknown key 'backof_start_ms' in [plugin.supervisor] - did you mean "
                              "'backoff_start_ms'?"));
    CHECK(wt::contains(r.out, "\n4 problems:\n"));
    CHECK(r.err.empty()); // the plugins no longer warn by hand: said once, in the report

    // Any other command warns too, from the host.
    auto other = wt::wildws(home.path(), {"plugins"});
    CHECK(wt::contains(other.err, "wildws: warning: " + ini + ":6: unknown key 'aproval_seconds' in [plugin.support_api]"));
    CHECK_FALSE(wt::contains(other.err, "unknown key, ignored"));
}

TEST_CASE("config check: a typo in [plugin.relay] is the host's warning, said once", "[integration][config]") {
    wt::TempDir home;
    const std::string ini = home / "wildws.ini";
    wt::writeFile(ini, "[plugin.relay]\nrequester_timeout_secnds = 30\n");
    auto r = wt::wildws(home.path(), {"config", "check"});
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    CHECK(wt::contains(r.out, ini + ":2: unknown key 'requester_timeout_secnds' in [plugin.relay] - did you mean "
                              "'requester_timeout_seconds'?"));
    CHECK(r.err.empty());
}

TEST_CASE("config check lists every key of the agent, consent, support_api and supervisor plugins with its default", "[integration][config]") {
    wt::TempDir home;
    auto r = wt::wildws(home.path(), {"--json", "config", "check"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    auto root = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    std::map<std::string, std::string> defaults;
    auto values = root->getArray("values");
    for (std::size_t i = 0; i < values->size(); ++i) {
        auto v = values->getObject(static_cast<unsigned>(i));
        if (v->getValue<std::string>("source") == "default")
            defaults[v->getValue<std::string>("section") + "." + v->getValue<std::string>("key")] = v->getValue<std::string>("value");
    }
    std::map<std::string, std::string> expected = {
        {"plugin.agent.idle_seconds", "600"},
        {"plugin.agent.handshake_seconds", "60"},
        {"plugin.agent.permission_timeout_seconds", "0"},
        {"plugin.agent.claude_interactive", "true"},
        {"plugin.agent.codex_protocol", "auto"},
        {"plugin.agent.stall_seconds", "300"},
        {"plugin.agent.total_seconds", "3600"},
        {"plugin.agent.kill_grace_ms", "1500"},
        {"plugin.agent.max_sessions", "4"},
        {"plugin.agent.persist", "true"},
        {"plugin.agent.command_name", "Custom command"},
        {"plugin.agent.claude_path", ""},
        {"plugin.consent.max_minutes", "480"},
        {"plugin.support_api.approval_seconds", "120"},
        {"plugin.supervisor.backoff_start_ms", "500"},
        {"plugin.supervisor.start_timeout_seconds", "30"},
        {"plugin.supervisor.exit_detection", "pidfd"},
        {"plugin.supervisor.supervise_daemon", "true"},
    };
    for (auto& [key, value] : expected) {
        INFO(key);
        REQUIRE(defaults.count(key));
        CHECK(defaults[key] == value);
    }

    auto text = wt::wildws(home.path(), {"config", "check"});
    CHECK(wt::contains(text.out, "\n[plugin.support_api]\n  enabled = true"));
    CHECK(wt::contains(text.out, "\n  approval_seconds = 120"));
}

TEST_CASE("support answer comes from the support_api plugin: disabled, it says so by name", "[integration][config]") {
    wt::TempDir home;
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = support_api\n");
    auto r = wt::wildws(home.path(), {"support", "answer"});
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: 'support answer' comes from the support_api plugin, which is disabled in " +
                       home / "wildws.ini" + " ([plugins] disable)\n");
    auto status = wt::wildws(home.path(), {"support", "status"}); // consent's own: unaffected
    CHECK(status.code == 0);
}
