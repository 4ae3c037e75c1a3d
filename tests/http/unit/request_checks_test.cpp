#include "http/request_checks.hpp"

#include <catch2/catch.hpp>

using namespace wildws::host;

TEST_CASE("forwarding headers are found by presence, in any case", "[unit][http]") {
    CHECK_FALSE(forwardingHeader(HeaderView{{{"Host", "x"}, {"Accept", "*/*"}}}).has_value());
    CHECK(forwardingHeader(HeaderView{{{"X-Forwarded-For", ""}}}) == std::optional<std::string>("X-Forwarded-For"));
    CHECK(forwardingHeader(HeaderView{{{"x-fOrWaRdEd-proto", "https"}}}).has_value());
    CHECK(forwardingHeader(HeaderView{{{"VIA", "1.1 proxy"}}}).has_value());
    CHECK(forwardingHeader(HeaderView{{{"cf-connecting-ip", "1.2.3.4"}}}).has_value());
}

TEST_CASE("loopback peers and origins", "[unit][http]") {
    CHECK(isLoopbackPeer("127.0.0.1:5000"));
    CHECK(isLoopbackPeer("[::1]:5000"));
    CHECK_FALSE(isLoopbackPeer("10.0.0.1:5000"));
    CHECK(loopbackOrigin("http://127.0.0.1:5173", 5173));
    CHECK(loopbackOrigin("http://LOCALHOST:5173", 5173));
    CHECK_FALSE(loopbackOrigin("https://127.0.0.1:5173", 5173));
    CHECK_FALSE(loopbackOrigin("http://127.0.0.1:5174", 5173));
    CHECK_FALSE(loopbackOrigin("null", 5173));
    CHECK(mediaType(" Application/JSON ; charset=utf-8") == "application/json");
    CHECK(mediaType("text/plain; application/json") == "text/plain");
}
