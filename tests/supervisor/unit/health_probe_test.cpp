#include "health_probe.hpp"

#include "wildws_test.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace wildws::supervisor;

namespace {

std::string response(int status, const std::string& body, bool chunked = false) {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n";
    if (chunked) {
        char size[16];
        std::snprintf(size, sizeof size, "%zx", body.size());
        return head + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n";
    }
    return head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

} // namespace

TEST_CASE("supervisor health answer must be 200, status ok and the expected role", "[supervisor][health]") {
    const std::string ok = R"({"status":"ok","version":"0.1.0","role":"workspace","uptimeMs":5})";
    CHECK(parseHealthResponse(response(200, ok), "workspace").ok);
    CHECK(parseHealthResponse(response(200, ok, true), "workspace").ok);
    auto wrongRole = parseHealthResponse(response(200, ok), "daemon");
    CHECK_FALSE(wrongRole.ok);
    CHECK(wt::contains(wrongRole.why, "answers as 'workspace'"));
    CHECK_FALSE(parseHealthResponse(response(503, ok), "workspace").ok);
    CHECK_FALSE(parseHealthResponse(response(200, R"({"status":"starting","role":"workspace"})"), "workspace").ok);
    CHECK_FALSE(parseHealthResponse(response(200, "<html>"), "workspace").ok);
    CHECK_FALSE(parseHealthResponse("", "workspace").ok);
    CHECK_FALSE(parseHealthResponse("SSH-2.0-OpenSSH\r\n", "workspace").ok);
}

TEST_CASE("supervisor health probe says refused for a closed port", "[supervisor][health]") {
    int port = wt::freePort();
    auto r = probeHealth("127.0.0.1", port, "workspace", std::chrono::milliseconds(1000));
    CHECK_FALSE(r.ok);
    CHECK(r.why == "connection refused");
}

TEST_CASE("supervisor health probe times out on a server that never answers", "[supervisor][health]") {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 8) == 0); // accepts into the backlog, never reads
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    auto start = std::chrono::steady_clock::now();
    auto r = probeHealth("127.0.0.1", ntohs(a.sin_port), "workspace", std::chrono::milliseconds(300));
    auto took = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(r.ok);
    CHECK(wt::contains(r.why, "timed out"));
    CHECK(took >= std::chrono::milliseconds(290));
    ::close(fd);
}

TEST_CASE("supervisor health probe reads a real answer over a socket", "[supervisor][health]") {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 8) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    std::string seen;
    std::thread server([&] {
        int c = ::accept(fd, nullptr, nullptr);
        char buf[2048];
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n > 0) seen.assign(buf, static_cast<std::size_t>(n));
        std::string answer = response(200, R"({"status":"ok","version":"0.1.0","role":"daemon","uptimeMs":5})");
        ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(c);
    });
    auto r = probeHealth("127.0.0.1", ntohs(a.sin_port), "daemon", std::chrono::milliseconds(3000));
    server.join();
    ::close(fd);
    CHECK(r.ok);
    CHECK(r.version == "0.1.0");
    CHECK(wt::contains(seen, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "\r\n"));
}
