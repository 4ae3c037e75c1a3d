// Starting, stopping and failing to start the real serve and daemon.
#include "http_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

namespace {
std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

TEST_CASE("a client leaving mid-stream is seen by the handler within a second", "[integration][http][lifecycle]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    for (int trial = 0; trial < 5; ++trial) {
        auto tag = "gone" + std::to_string(trial);
        wt::HttpStream s(server.port(), wt::rawRequest(server.port(), "GET", "/api/fx/stream?everyMs=5000&tag=" + tag,
                                                       {{"Authorization", server.bearer()}}));
        REQUIRE(s.status() == 200);
        REQUIRE(s.line().has_value());
        auto closedAt = nowMs();
        s.close();
        auto file = home / ("fx-closed-" + tag);
        for (int i = 0; i < 200 && wt::readFile(file).empty(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        auto seen = wt::readFile(file);
        REQUIRE_FALSE(seen.empty());
        CHECK(std::stoll(seen) - closedAt < 1000);
    }
}

TEST_CASE("SIGTERM with open streams exits within 5 s and removes the pid file", "[integration][http][lifecycle]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    std::vector<std::unique_ptr<wt::HttpStream>> streams;
    for (int i = 0; i < 5; ++i) {
        streams.push_back(std::make_unique<wt::HttpStream>(
            server.port(), wt::rawRequest(server.port(), "GET", "/api/fx/stream?everyMs=100&tag=t" + std::to_string(i),
                                          {{"Authorization", server.bearer()}})));
        REQUIRE(streams.back()->status() == 200);
    }
    REQUIRE(std::filesystem::exists(home / "server.pid"));
    auto started = std::chrono::steady_clock::now();
    server.child().signal(SIGTERM);
    auto code = server.child().wait(std::chrono::seconds(5));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK_FALSE(std::filesystem::exists(home / "server.pid"));
}

TEST_CASE("a pid file that is not ours is left alone on exit", "[integration][http][lifecycle]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::writeFile(home / "server.pid", R"({"pid":1,"startTime":1,"startedAt":1,"port":1,"version":"x","role":"workspace"})");
    server.child().signal(SIGINT);
    REQUIRE(server.child().wait(std::chrono::seconds(5)).has_value());
    CHECK(std::filesystem::exists(home / "server.pid"));
}

TEST_CASE("a port in use is one line naming the port and its holder", "[integration][http][lifecycle]") {
    wt::TempDir home;
    // The daemon holds the port; serve (one per home, so a second serve would
    // stop at the home's lock) asks for the same port.
    wt::Server first(home.path(), "daemon", {"--plugins-dir", fixturePlugins()});
    auto port = std::to_string(first.port());
    auto second = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "serve", "--port", port});
    CHECK(second.code == 1);
    CHECK(wt::contains(second.err, "wildws: port " + port + " on 127.0.0.1 is in use or not available (by wildws daemon, pid " +
                                       std::to_string(first.child().pid()) + ", per daemon.pid): "));
    CHECK(wt::contains(second.err, " - stop the other process, or pass --port N\n"));
    CHECK(wt::lines(second.err).size() == 1);
}

TEST_CASE("listening beyond loopback needs the config opt-in", "[integration][http][lifecycle]") {
    wt::TempDir home;
    auto r = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "serve", "--port", "0", "--bind", "0.0.0.0"});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: refusing to listen on 0.0.0.0: wildws serve stays on loopback unless [serve] allow_remote "
                   "= true is set in wildws.ini\n");
    auto bad = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "daemon", "--port", "x"});
    CHECK(bad.code == 2);
    CHECK(bad.err == "wildws: daemon: --port must be a number from 0 to 65535 (got 'x')\n");
}

TEST_CASE("the daemon serves its own role and prints no login link", "[integration][http][lifecycle]") {
    wt::TempDir home;
    wt::Server daemon(home.path(), "daemon", {"--plugins-dir", fixturePlugins()});
    auto health = wt::http(daemon.port(), "GET", "/health");
    CHECK(wt::contains(health.body, R"("role":"daemon")"));
    // Workspace routes are not served by the daemon.
    CHECK(wt::http(daemon.port(), "GET", "/api/fx/caller", {{"Authorization", daemon.bearer()}}).status == 404);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(wt::contains(daemon.child().output(), "wildws daemon listening on http://127.0.0.1:"));
    CHECK_FALSE(wt::contains(daemon.child().output(), "login?code="));
    CHECK(std::filesystem::exists(home / "daemon.pid"));
}

TEST_CASE("serve prints its URL and a one-time login link", "[integration][http][lifecycle]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto out = server.child().output();
    auto base = "http://127.0.0.1:" + std::to_string(server.port());
    CHECK(wt::contains(out, "wildws serve listening on " + base + "\n"));
    CHECK(wt::contains(out, "open " + base + "/login?code="));
    auto pid = wt::jsonField(home / "server.pid", "pid");
    CHECK(pid == std::to_string(server.child().pid()));
    CHECK(!wt::jsonField(home / "server.pid", "startTime").empty());
    CHECK(wt::jsonField(home / "server.pid", "version") == "0.1.0");
}
