// The HTTP core of the real server: routing, errors, limits, streams, ticks.
#include "http_fixture.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace {
long long wallMs() {
    return static_cast<long long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}
} // namespace

TEST_CASE("routes match by method and pattern and every error is JSON", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::Headers auth{{"Authorization", server.bearer()}};
    CHECK(wt::http(server.port(), "GET", "/api/fx/items/42", auth).body == R"({"id":"42"})");
    CHECK(wt::http(server.port(), "GET", "/api/fx/items/a%20b", auth).body == R"({"id":"a b"})");
    CHECK(wt::http(server.port(), "GET", "/api/fx/items/special", auth).body == R"({"special":true})");
    auto missing = wt::http(server.port(), "GET", "/api/nope", auth);
    CHECK(missing.status == 404);
    CHECK(missing.body == R"({"error":"not_found","message":"no route for /api/nope"})");
    auto wrongMethod = wt::http(server.port(), "DELETE", "/api/fx/echo", auth);
    CHECK(wrongMethod.status == 405);
    CHECK(wrongMethod.header("Allow") == std::optional<std::string>("POST"));
    CHECK(wrongMethod.body ==
          R"J({"error":"method-not-allowed","message":"DELETE is not allowed on /api/fx/echo (allowed: POST)"})J");
    auto health = wt::http(server.port(), "GET", "/health");
    CHECK(wt::contains(health.body, R"("role":"workspace")"));
    CHECK(wt::contains(health.body, R"("status":"ok")"));
    CHECK(wt::contains(health.body, R"("version":"0.1.0")"));
    CHECK(wt::contains(health.body, R"("uptimeMs":)"));
    CHECK(health.header("X-Content-Type-Options") == std::optional<std::string>("nosniff"));
}

TEST_CASE("the body cap refuses declared and chunked bodies past it", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path(), {"--set", "serve.max_body_bytes=4096"});
    wt::Headers auth{{"Authorization", server.bearer()}};
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo", auth, std::string(4096, 'a')).status == 200);

    // Declared too large: refused from the head alone, the body is never sent.
    wt::HttpStream declared(server.port(), wt::rawRequest(server.port(), "POST", "/api/fx/echo",
                                                          {{"Authorization", server.bearer()},
                                                           {"Content-Length", "10485760"}}));
    CHECK(declared.status(std::chrono::milliseconds(3000)) == 413);

    // Chunked: counted as it arrives.
    std::string chunked;
    for (int i = 0; i < 5; ++i) chunked += "400\r\n" + std::string(1024, 'b') + "\r\n";
    chunked += "0\r\n\r\n";
    auto over = wt::http(server.port(), "POST", "/api/fx/echo", {{"Authorization", server.bearer()},
                                                                 {"Transfer-Encoding", "chunked"}}, chunked);
    CHECK(over.status == 413);
    CHECK(over.body == R"({"error":"body-too-large","message":"request body is larger than 4096 bytes - send less, or raise max_body_bytes in wildws.ini"})");
    std::string small = "5\r\nhello\r\n0\r\n\r\n";
    auto under = wt::http(server.port(), "POST", "/api/fx/echo", {{"Authorization", server.bearer()},
                                                                  {"Transfer-Encoding", "chunked"}}, small);
    CHECK(under.status == 200);
    CHECK(under.body == "hello");
}

TEST_CASE("a malformed JSON body is refused before the handler", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::Headers json{{"Authorization", server.bearer()}, {"Content-Type", "application/json"}};
    for (std::string bad : std::vector<std::string>{"{", "{\"a\":}", "[1,2", "nul", std::string(10000, '[')}) {
        auto r = wt::http(server.port(), "POST", "/api/fx/echo", json, bad);
        INFO(bad.substr(0, 20));
        CHECK(r.status == 400);
        CHECK(wt::contains(r.body, R"({"error":"bad-json","message":"request body is not valid JSON)"));
    }
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo", json, "{\"ok\":[1,2]}").status == 200);
    auto empty = json;
    empty.emplace_back("Content-Length", "0");
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo", empty, "").status == 200);
    // No framing at all means no body (RFC 9112): answered at once, not after a timeout.
    auto started = std::chrono::steady_clock::now();
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo", json, "", std::chrono::milliseconds(5000)).status == 200);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
}

TEST_CASE("a handler that throws answers 500 and turns its plugin off", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::Headers auth{{"Authorization", server.bearer()}};
    auto r = wt::http(server.port(), "GET", "/api/fx/throw", auth);
    CHECK(r.status == 500);
    CHECK(r.body == R"({"error":"plugin-error","message":"the handler failed: fixture handler exploded"})");
    auto after = wt::http(server.port(), "GET", "/api/fx/caller", auth);
    CHECK(after.status == 503);
    CHECK(wt::contains(after.body, "\"error\":\"plugin-failed\""));
    auto plugins = wt::http(server.port(), "GET", "/api/plugins", auth);
    CHECK(wt::contains(plugins.body, R"("state":"failed")"));
    CHECK(wt::contains(plugins.body, "threw from GET /api/fx/throw: fixture handler exploded"));
    CHECK(wt::http(server.port(), "GET", "/health").status == 200);
}

TEST_CASE("ticks run on their own: a throwing tick is retried, a slow one delays nobody", "[integration][http]") {
    const long long started = wallMs();
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::Headers auth{{"Authorization", server.bearer()}};
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    auto ticks = wt::http(server.port(), "GET", "/api/fx/ticks", auth);
    auto fast = std::stol(ticks.body.substr(ticks.body.find(':') + 1));
    CHECK(fast >= 10); // 20 ms interval over 600 ms while "slow" sleeps 2 s
    auto plugins = wt::http(server.port(), "GET", "/api/plugins", auth).body;
    CHECK(wt::contains(plugins, R"("lastError":"tick exploded")"));
    CHECK(wt::contains(plugins, R"("name":"fails")"));
    auto failures = plugins.find(R"("failures":)", plugins.find(R"("name":"fails")") - 200);
    CHECK(failures != std::string::npos);
    // lastRunAt: ISO 8601 UTC, a moment of this test.
    auto lastRun = plugins.find(R"("lastRunAt":")");
    REQUIRE(lastRun != std::string::npos);
    auto lastRunMs = wt::isoMs(plugins.substr(lastRun + 13, 24));
    REQUIRE(lastRunMs);
    CHECK(*lastRunMs >= started);
    CHECK(*lastRunMs <= wallMs());
    // The plugin stays loaded: its routes still answer.
    CHECK(wt::http(server.port(), "GET", "/api/fx/caller", auth).status == 200);
}

TEST_CASE("streams flush one line at a time and are capped", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path(), {"--set", "serve.max_streams=2"});
    auto req = wt::rawRequest(server.port(), "GET", "/api/fx/stream?everyMs=200&tag=cap",
                              {{"Authorization", server.bearer()}});
    wt::HttpStream a(server.port(), req), b(server.port(), req);
    REQUIRE(a.status() == 200);
    REQUIRE(b.status() == 200);
    auto first = std::chrono::steady_clock::now();
    CHECK(a.line() == std::optional<std::string>(R"({"n":0})"));
    CHECK(a.line() == std::optional<std::string>(R"({"n":1})"));
    CHECK(std::chrono::steady_clock::now() - first >= std::chrono::milliseconds(150)); // not batched
    auto third = wt::http(server.port(), "GET", "/api/fx/stream?everyMs=200", {{"Authorization", server.bearer()}},
                          "", std::chrono::milliseconds(3000));
    CHECK(third.status == 429);
    CHECK(third.body == R"J({"error":"too-many-streams","message":"too many open streams (2) - close one, or raise max_streams in wildws.ini"})J");
    a.close();
    // The slot is given back once the handler sees the client leave.
    for (int i = 0; i < 100 && !std::filesystem::exists(home / "fx-closed-cap"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    wt::HttpStream c(server.port(), req);
    CHECK(c.status() == 200);
}

TEST_CASE("a slow client does not block others", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    // Half a request head, then silence.
    std::vector<std::unique_ptr<wt::HttpStream>> slow;
    for (int i = 0; i < 5; ++i) {
        slow.push_back(std::make_unique<wt::HttpStream>(server.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1"));
    }
    auto started = std::chrono::steady_clock::now();
    auto r = wt::http(server.port(), "GET", "/health");
    CHECK(r.status == 200);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}

TEST_CASE("1000 concurrent requests: no crash, overflow refused fast, healthy afterwards", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path(), {"--set", "serve.threads=2", "--set", "serve.queue=4"});
    // Complete requests to a stream that holds its worker: past threads +
    // queue, the rest must be refused at once with 503.
    std::string req = wt::rawRequest(server.port(), "GET", "/api/fx/stream?everyMs=200&lines=10",
                                     {{"Authorization", server.bearer()}});
    std::vector<int> fds;
    for (int i = 0; i < 1000; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(server.port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
            (void)!::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
            fds.push_back(fd);
        } else {
            ::close(fd);
        }
    }
    CHECK(fds.size() > 100);
    int answeredBusy = 0;
    for (int fd : fds) {
        char buf[256];
        timeval tv{0, 200000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
        if (n > 0 && std::string(buf, static_cast<std::size_t>(n)).find("503 Service Unavailable") != std::string::npos)
            ++answeredBusy;
    }
    CHECK(answeredBusy > 0);
    for (int fd : fds) ::close(fd);
    // Healthy again once the flood is gone.
    bool healthy = false;
    for (int i = 0; i < 100 && !healthy; ++i) {
        healthy = wt::http(server.port(), "GET", "/health", {}, "", std::chrono::milliseconds(2000)).status == 200;
        if (!healthy) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(healthy);
    CHECK(server.child().running());
}

TEST_CASE("the activity bus reaches the page as server-sent events", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::HttpStream events(server.port(), wt::rawRequest(server.port(), "GET", "/api/events",
                                                        {{"Authorization", server.bearer()}}));
    REQUIRE(events.status() == 200);
    CHECK(events.line() == std::optional<std::string>("retry: 1000"));
    CHECK(events.line() == std::optional<std::string>(""));
    const long long before = wallMs();
    wt::http(server.port(), "POST", "/api/fx/publish",
             {{"Authorization", server.bearer()}, {"Content-Type", "application/json"}}, R"({"hello":"page"})");
    const long long after = wallMs();
    auto data = events.line(std::chrono::milliseconds(2000));
    REQUIRE(data.has_value());
    CHECK(wt::contains(*data, R"("type":"fixture")"));
    // "at": when it was published, ISO 8601 UTC with ms.
    auto at = data->find(R"("at":")");
    REQUIRE(at != std::string::npos);
    auto atMs = wt::isoMs(data->substr(at + 6, 24));
    REQUIRE(atMs);
    CHECK(*atMs >= before);
    CHECK(*atMs <= after);
    CHECK(wt::contains(*data, R"("hello":"page")"));
    CHECK(data->rfind("data: {", 0) == 0);
}

TEST_CASE("one access-log line per request, without secrets or bodies", "[integration][http]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    wt::http(server.port(), "POST", "/api/fx/echo", {{"Authorization", server.bearer()}}, "SECRET-BODY-TEXT");
    wt::http(server.port(), "GET", "/api/nope");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto log = wt::readFile(home / "logs/http.log");
    CHECK(wt::contains(log, "[info] [http] POST /api/fx/echo 200 16B "));
    CHECK(wt::contains(log, "[info] [http] GET /api/nope 404 "));
    CHECK_FALSE(wt::contains(log, "SECRET-BODY-TEXT"));
    CHECK_FALSE(wt::contains(log, server.token()));
}

TEST_CASE("the page's static files are served with strict headers and nothing outside the web dir", "[integration][http]") {
    wt::TempDir home;
    wt::TempDir web;
    wt::writeFile(web / "index.html", "<!doctype html><title>wildws</title>", 0644);
    std::filesystem::create_directories(web / "assets");
    wt::writeFile(web / "assets/app.js", "console.log(1)", 0644);
    wt::writeFile(web / ".secret", "hidden", 0644);
    wt::writeFile(home / "outside.txt", "outside", 0644);
    auto server = fixtureServer(home.path(), {"--set", "serve.web_dir=" + web.path()});
    auto index = wt::http(server.port(), "GET", "/");
    CHECK(index.status == 200);
    CHECK(index.body == "<!doctype html><title>wildws</title>");
    CHECK(index.header("Content-Type") == std::optional<std::string>("text/html; charset=utf-8"));
    auto csp = index.header("Content-Security-Policy").value_or("");
    CHECK(wt::contains(csp, "script-src 'self'"));
    CHECK(wt::contains(csp, "frame-ancestors 'none'"));
    CHECK_FALSE(wt::contains(csp, "unsafe-inline"));
    CHECK(index.header("X-Content-Type-Options") == std::optional<std::string>("nosniff"));
    CHECK(index.header("Referrer-Policy") == std::optional<std::string>("no-referrer"));
    CHECK(wt::http(server.port(), "GET", "/chat/history").body == index.body); // the page routes itself
    auto js = wt::http(server.port(), "GET", "/assets/app.js");
    CHECK(js.status == 200);
    CHECK(js.header("Content-Type") == std::optional<std::string>("text/javascript; charset=utf-8"));
    for (std::string bad : {"/../outside.txt", "/assets/../../outside.txt", "/%2e%2e/outside.txt", "/.secret",
                            "/assets/missing.js", "/api/unknown"}) {
        INFO(bad);
        CHECK(wt::http(server.port(), "GET", bad).status == 404);
    }
    CHECK(wt::http(server.port(), "GET", "/", {{"Host", "evil.com"}}).status == 403);
}
