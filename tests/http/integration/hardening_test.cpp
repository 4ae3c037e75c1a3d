// Issue 15's HTTP reproductions, byte for byte: framing, percent-escapes,
// the status line, auth before the body, stream caps, slow clients, and a
// secrets file with an unusable token.
#include "http_fixture.hpp"
#include "raw_socket.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

namespace {

std::string head(int port, const std::string& requestLine, const std::string& extra) {
    return requestLine + "\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" + extra + "\r\n";
}

} // namespace

TEST_CASE("malformed framing is 400, the connection closes, and the handler never runs", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    int port = server.port();
    std::string auth = "Authorization: " + server.bearer() + "\r\nContent-Type: application/json\r\n";
    struct Case {
        std::string name;
        std::string bytes;
        std::string message;
    };
    std::vector<Case> cases{
        {"a chunk size that is not hex",
         head(port, "POST /api/fx/record HTTP/1.1", auth + "Transfer-Encoding: chunked\r\n") +
             "zz\r\n{\"tier\":1}\r\n0\r\n\r\nGET /api/fx/caller HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
             "\r\n\r\n",
         "malformed chunked body"},
        {"two different Content-Lengths",
         head(port, "POST /api/fx/record HTTP/1.1", auth + "Content-Length: 2\r\nContent-Length: 11\r\n") +
             "{}{\"tier\":1}",
         "more than one Content-Length header"},
        {"Content-Length with Transfer-Encoding",
         head(port, "POST /api/fx/record HTTP/1.1", auth + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n") +
             "{}",
         "both Content-Length and Transfer-Encoding"},
        {"a non-numeric Content-Length",
         head(port, "POST /api/fx/record HTTP/1.1", auth + "Content-Length: abc\r\n") + "{}",
         "Content-Length 'abc' is not a number of bytes"},
        {"a negative Content-Length", head(port, "POST /api/fx/record HTTP/1.1", auth + "Content-Length: -5\r\n") + "{}",
         "Content-Length '-5' is not a number of bytes"},
        {"an overflowing Content-Length",
         head(port, "POST /api/fx/record HTTP/1.1", auth + "Content-Length: 99999999999999999999\r\n") + "{}",
         "Content-Length '99999999999999999999' is not a number of bytes"},
        {"two Host headers",
         head(port, "POST /api/fx/record HTTP/1.1", auth + "Host: evil.com\r\nContent-Length: 2\r\n") + "{}",
         "more than one Host header"},
        {"an absolute-form target naming another host",
         head(port, "POST http://evil.com/api/fx/record HTTP/1.1", auth + "Content-Length: 2\r\n") + "{}",
         "the request target names another host ('evil.com')"},
    };
    for (auto& c : cases) {
        INFO(c.name);
        auto r = rawsock::exchange(port, c.bytes);
        CHECK(rawsock::statusLine(r.bytes) == "HTTP/1.1 400 Bad Request");
        CHECK(rawsock::body(r.bytes) == R"({"error":"bad-request","message":")" + c.message + "\"}");
        CHECK(rawsock::hasHeaderLine(r.bytes, "Connection: close"));
        CHECK(r.closed);
        // Exactly one response: the leftover bytes were not read as a request.
        CHECK(r.bytes.find("HTTP/1.1", 1) == std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(home / "fx-record"));
    // The same route with proper framing does run.
    auto ok = rawsock::exchange(port, head(port, "POST /api/fx/record HTTP/1.1", auth + "Content-Length: 2\r\nConnection: close\r\n") + "{}");
    CHECK(rawsock::statusLine(ok.bytes) == "HTTP/1.1 200 OK");
    CHECK(std::filesystem::exists(home / "fx-record"));
}

TEST_CASE("a bad percent-escape is 400 JSON, and route parameters are decoded exactly once", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto bad = wt::http(server.port(), "GET", "/api/chat/sessions/%zz");
    CHECK(bad.status == 400);
    CHECK(bad.header("Content-Type") == std::optional<std::string>("application/json"));
    CHECK(bad.body == R"({"error":"bad-escape","message":"the request path has a malformed percent-escape - write '%' as %25"})");
    CHECK(wt::http(server.port(), "GET", "/api/fx/items/%zz", {{"Authorization", server.bearer()}}).status == 400);
    CHECK(wt::http(server.port(), "GET", "/api/fx/items/a%2", {{"Authorization", server.bearer()}}).status == 400);
    auto twice = wt::http(server.port(), "GET", "/api/fx/items/%252e%252e%252f", {{"Authorization", server.bearer()}});
    CHECK(twice.status == 200);
    CHECK(twice.body == R"({"id":"%2e%2e%2f"})");
    auto slash = wt::http(server.port(), "GET", "/api/fx/items/a%2Fb", {{"Authorization", server.bearer()}});
    CHECK(slash.body == R"({"id":"a/b"})");
}

TEST_CASE("the status line is HTTP/1.1 with the real reason phrase, whatever the client's version", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    int port = server.port();
    auto r10 = rawsock::exchange(port, head(port, "GET /api/fx/caller HTTP/1.0", ""));
    CHECK(rawsock::statusLine(r10.bytes) == "HTTP/1.1 401 Unauthorized");
    auto r11 = rawsock::exchange(port, head(port, "GET /api/nope HTTP/1.1", "Connection: close\r\n"));
    CHECK(rawsock::statusLine(r11.bytes) == "HTTP/1.1 404 Not Found");
    auto r9 = rawsock::exchange(port, head(port, "GET /health HTTP/1.9", "Connection: close\r\n"));
    CHECK(rawsock::statusLine(r9.bytes) == "HTTP/1.1 200 OK");
    auto forbidden = rawsock::exchange(port, "GET /health HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n");
    CHECK(rawsock::statusLine(forbidden.bytes) == "HTTP/1.1 403 Forbidden");
}

TEST_CASE("credentials are checked before a byte of the body is read", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    int port = server.port();
    // A 1 MiB body is announced but never sent: the answer must not wait for it.
    int fd = rawsock::connectTo(port);
    rawsock::sendAll(fd, head(port, "POST /api/fx/record HTTP/1.1",
                              "Content-Type: application/json\r\nContent-Length: 1048576\r\n"));
    auto r = rawsock::readUntilClose(fd, std::chrono::milliseconds(5000)); // the server would wait 10 s for a body
    ::close(fd);
    CHECK(rawsock::statusLine(r.bytes) == "HTTP/1.1 401 Unauthorized");
    CHECK(rawsock::hasHeaderLine(r.bytes, "Connection: close")); // the unread body must not be taken for a request
    CHECK_FALSE(std::filesystem::exists(home / "fx-record"));
    // Also with Expect: 100-continue, nothing is invited.
    fd = rawsock::connectTo(port);
    rawsock::sendAll(fd, head(port, "POST /api/fx/record HTTP/1.1",
                              "Content-Type: application/json\r\nContent-Length: 10\r\nExpect: 100-continue\r\n"));
    r = rawsock::readUntilClose(fd, std::chrono::milliseconds(5000));
    ::close(fd);
    CHECK(rawsock::statusLine(r.bytes) == "HTTP/1.1 401 Unauthorized");
    CHECK_FALSE(wt::contains(r.bytes, "100 Continue"));
}

TEST_CASE("open event feeds do not use up the agents' stream slots, and have a cap of their own", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path(), {"--set", "serve.max_event_streams=8"});
    auto events = wt::rawRequest(server.port(), "GET", "/api/events", {{"Authorization", server.bearer()}});
    std::vector<std::unique_ptr<wt::HttpStream>> tabs;
    for (int i = 0; i < 8; ++i) {
        tabs.push_back(std::make_unique<wt::HttpStream>(server.port(), events));
        REQUIRE(tabs.back()->status() == 200);
    }
    wt::HttpStream agent(server.port(), wt::rawRequest(server.port(), "GET", "/api/fx/stream?everyMs=50&lines=2",
                                                       {{"Authorization", server.bearer()}}));
    CHECK(agent.status() == 200);
    wt::HttpStream ninth(server.port(), events);
    CHECK(ninth.status() == 429);
    auto r = wt::http(server.port(), "GET", "/api/events", {{"Authorization", server.bearer()}});
    CHECK(r.body == R"J({"error":"too-many-event-streams","message":"too many open event streams (8) - close a tab, or raise max_event_streams in wildws.ini"})J");
}

TEST_CASE("200 clients trickling their heads do not delay health or owner requests", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    int port = server.port();
    std::vector<int> slow;
    for (int i = 0; i < 200; ++i) {
        int fd = rawsock::connectTo(port);
        REQUIRE(fd >= 0);
        rawsock::sendAll(fd, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nX-Slow: ");
        slow.push_back(fd);
    }
    std::atomic<bool> done{false};
    std::thread trickle([&] {
        while (!done) {
            for (int fd : slow) rawsock::sendAll(fd, "a");
            for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    // Answered (not a 503, not a timeout) within 1 s, again and again while they trickle.
    for (int round = 0; round < 5; ++round) {
        auto health = wt::http(port, "GET", "/health", {}, "", std::chrono::milliseconds(1000));
        CHECK(health.status == 200);
        auto owner = wt::http(port, "GET", "/api/fx/caller", {{"Authorization", server.bearer()}}, "",
                              std::chrono::milliseconds(1000));
        CHECK(owner.status == 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    done = true;
    trickle.join();
    // Each slow head still has one deadline for all of it: 408, not forever.
    auto late = rawsock::readUntilClose(slow.front(), std::chrono::milliseconds(15000));
    CHECK(rawsock::statusLine(late.bytes) == "HTTP/1.1 408 Request Timeout");
    for (int fd : slow) ::close(fd);
}

TEST_CASE("1000 silent connections do not stall service, and past max_connections the oldest is dropped", "[integration][http][hardening]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path(), {"--set", "serve.max_connections=200"});
    std::vector<int> fds;
    for (int i = 0; i < 1000; ++i) {
        int fd = rawsock::connectTo(server.port());
        if (fd >= 0) fds.push_back(fd);
    }
    CHECK(fds.size() == 1000);
    auto health = wt::http(server.port(), "GET", "/health", {}, "", std::chrono::milliseconds(1000));
    CHECK(health.status == 200);
    // The first ones were dropped to make room, with a clear answer.
    auto first = rawsock::readUntilClose(fds.front(), std::chrono::milliseconds(3000));
    CHECK(rawsock::statusLine(first.bytes) == "HTTP/1.1 503 Service Unavailable");
    for (int fd : fds) ::close(fd);
    CHECK(server.child().running());
}

TEST_CASE("a partnerToken of the wrong type or an absurd size is refused, not silently replaced", "[integration][http][hardening]") {
    for (auto [value, why] : std::vector<std::pair<std::string, std::string>>{
             {"12345", "is not a string"},
             {"{\"a\":1}", "is not a string"},
             {"\"" + std::string(1000, 'a') + "\"", "is 1000 characters long (at most 256)"},
             {"\"a\\nb\"", "holds a character that is not printable ASCII"}}) {
        wt::TempDir home;
        std::string text = "{\"partnerToken\": " + value + ", \"shareSecret\": \"s\", \"supportChannelSecret\": \"c\"}\n";
        wt::writeFile(home.path() + "/secrets.json", text, 0600);
        auto r = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "serve", "--port", "0"},
                            {{}, {}, "", "", std::chrono::milliseconds(20000)});
        INFO(value.substr(0, 40));
        CHECK(r.code == 1);
        CHECK(wt::lines(r.err).size() == 1);
        CHECK(wt::contains(r.err, "secrets.json: \"partnerToken\" " + why +
                                      " - fix it, or delete the field to make a new one (whoever uses the old value "
                                      "is logged out)"));
        CHECK(wt::readFile(home.path() + "/secrets.json") == text); // untouched
    }
}
