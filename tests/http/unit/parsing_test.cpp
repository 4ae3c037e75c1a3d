// The pure parsers of a request: head scan, framing, target decoding, bodies.
#include "http/body_reader.hpp"
#include "http/framing.hpp"
#include "http/head_scan.hpp"
#include "http/request_target.hpp"

#include <catch2/catch.hpp>

using namespace wildws::host;

namespace {

struct StringSource : ByteSource {
    explicit StringSource(std::string s) : data(std::move(s)) {}
    int get() override { return pos < data.size() ? static_cast<unsigned char>(data[pos++]) : -1; }
    std::size_t read(char* buf, std::size_t n) override {
        std::size_t k = std::min(n, data.size() - pos);
        data.copy(buf, k, pos);
        pos += k;
        return k;
    }
    std::string data;
    std::size_t pos = 0;
};

Framing frame(const std::string& target, HeaderView h) {
    if (!h.has("Host")) h.headers.emplace_back("Host", "127.0.0.1:8000");
    return checkFraming(target, h, 8000, {});
}

} // namespace

TEST_CASE("a head is complete only at its empty line, and capped", "[unit][http]") {
    CHECK(scanHead("", 100) == HeadState::Incomplete);
    CHECK(scanHead("GET / HTTP/1.1\r\nHost: x\r\n", 100) == HeadState::Incomplete);
    CHECK(scanHead("GET / HTTP/1.1\r\nHost: x\r\n\r", 100) == HeadState::Incomplete);
    CHECK(scanHead("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 100) == HeadState::Complete);
    CHECK(scanHead("GET / HTTP/1.1\nHost: x\n\n", 100) == HeadState::Complete);
    CHECK(scanHead("\r\n\r\nGET / HTTP/1.1\r\n", 100) == HeadState::Incomplete); // leading empty lines skipped
    CHECK(scanHead("GET / HTTP/1.1\r\n\r\nbody", 100) == HeadState::Complete);
    CHECK(scanHead(std::string(101, 'a'), 100) == HeadState::TooLarge);
    CHECK(scanHead(std::string(100, 'a'), 100) == HeadState::Incomplete);
}

TEST_CASE("framing: one Content-Length of digits, chunked alone, one Host, a target of this server", "[unit][http]") {
    CHECK_FALSE(frame("/a", {}).error);
    CHECK(frame("/a", {}).body == BodyFraming::None);
    auto cl = frame("/a", {{{"Content-Length", "12"}}});
    CHECK_FALSE(cl.error);
    CHECK(cl.body == BodyFraming::Length);
    CHECK(cl.length == 12);
    CHECK(frame("/a", {{{"Transfer-Encoding", "Chunked"}}}).body == BodyFraming::Chunked);

    struct Case {
        std::string target;
        HeaderView headers;
        std::string error;
    };
    std::vector<Case> cases{
        {"/a", {{{"Content-Length", "5"}, {"Content-Length", "6"}}}, "more than one Content-Length header"},
        {"/a", {{{"Content-Length", "5"}, {"Content-Length", "5"}}}, "more than one Content-Length header"},
        {"/a", {{{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}}}, "both Content-Length and Transfer-Encoding"},
        {"/a", {{{"Content-Length", "abc"}}}, "Content-Length 'abc' is not a number of bytes"},
        {"/a", {{{"Content-Length", "-5"}}}, "Content-Length '-5' is not a number of bytes"},
        {"/a", {{{"Content-Length", "5, 5"}}}, "Content-Length '5, 5' is not a number of bytes"},
        {"/a", {{{"Content-Length", "+5"}}}, "Content-Length '+5' is not a number of bytes"},
        {"/a", {{{"Content-Length", ""}}}, "Content-Length '' is not a number of bytes"},
        {"/a", {{{"Content-Length", "99999999999999999999"}}}, "Content-Length '99999999999999999999' is not a number of bytes"},
        {"/a", {{{"Transfer-Encoding", "gzip, chunked"}}}, "Transfer-Encoding 'gzip, chunked' is not supported (only chunked)"},
        {"/a", {{{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}}, "more than one Transfer-Encoding header"},
        {"/a", {{{"Host", "127.0.0.1:8000"}, {"Host", "evil.com"}}}, "more than one Host header"},
        {"/a", {{{"Host", "127.0.0.1:8000"}, {"Host", "127.0.0.1:8000"}}}, "more than one Host header"},
        {"http://evil.com/a", {}, "the request target names another host ('evil.com')"},
        {"http://127.0.0.1:9999/a", {}, "the request target names another host ('127.0.0.1:9999')"},
        {"http://localhost:8000/a", {}, "the request target and the Host header name different hosts"},
        {"*", {}, "the request target must be a path starting with '/'"},
        {"a/b", {}, "the request target must be a path starting with '/'"},
        {"", {}, "the request target must be a path starting with '/'"},
    };
    for (auto& c : cases) {
        INFO(c.target << " / " << (c.headers.headers.empty() ? "" : c.headers.headers[0].second));
        auto f = frame(c.target, c.headers);
        REQUIRE(f.error);
        CHECK(*f.error == c.error);
    }
    auto absolute = frame("http://127.0.0.1:8000/api/x?y=1", {});
    CHECK_FALSE(absolute.error);
    CHECK(absolute.target == "/api/x?y=1");
    CHECK(frame("HTTP://127.0.0.1:8000", {}).target == "/");
}

TEST_CASE("the target is decoded exactly once, segment by segment, and a bad escape is refused", "[unit][http]") {
    auto t = parseTarget("/api/chat/sessions/%252e%252e%252f?q=a%20b+c&x");
    REQUIRE(t);
    CHECK(t->segments == std::vector<std::string>{"api", "chat", "sessions", "%2e%2e%2f"});
    CHECK(t->path == "/api/chat/sessions/%2e%2e%2f");
    CHECK(t->query.at("q") == "a b c");
    CHECK(t->query.at("x").empty());
    auto slash = parseTarget("/api/a%2Fb");
    REQUIRE(slash);
    CHECK(slash->segments == std::vector<std::string>{"api", "a/b"});
    CHECK(parseTarget("/")->segments.empty());
    for (const char* bad : {"/api/chat/sessions/%zz", "/%", "/%4", "/a%g0", "/?q=%zz", "/?%=1"}) {
        INFO(bad);
        CHECK_FALSE(parseTarget(bad).has_value());
    }
    CHECK(percentDecode("a+b") == std::optional<std::string>("a+b"));
    CHECK(percentDecode("a+b", true) == std::optional<std::string>("a b"));
}

TEST_CASE("chunked bodies are decoded strictly and never past their end", "[unit][http]") {
    auto run = [](const std::string& wire, std::size_t cap, std::string& out) {
        StringSource in(wire);
        auto s = readChunkedBody(in, cap, out);
        return std::make_pair(s, wire.substr(in.pos));
    };
    std::string out;
    auto [ok, rest] = run("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nGET / HTTP/1.1", 100, out);
    CHECK(ok == BodyStatus::Ok);
    CHECK(out == "hello world");
    CHECK(rest == "GET / HTTP/1.1");
    for (const char* bad : {"zz\r\n", "\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5x\r\nhello\r\n",
                            "-5\r\nhello\r\n", "11111111111111111\r\n"}) {
        INFO(bad);
        out.clear();
        CHECK(run(bad, 100, out).first == BodyStatus::Malformed);
    }
    out.clear();
    CHECK(run("5\r\nhel", 100, out).first == BodyStatus::Truncated);
    out.clear();
    CHECK(run("65\r\n", 100, out).first == BodyStatus::TooLarge);
    out.clear();
    CHECK(run("ffffffffffffffff\r\n", 100, out).first == BodyStatus::TooLarge);
    out.clear();
    StringSource fixed("abcdefNEXT");
    CHECK(readFixedBody(fixed, 6, out) == BodyStatus::Ok);
    CHECK(out == "abcdef");
    CHECK(fixed.pos == 6);
    out.clear();
    StringSource shortBody("abc");
    CHECK(readFixedBody(shortBody, 6, out) == BodyStatus::Truncated);
}
