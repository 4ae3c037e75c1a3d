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

TEST_CASE("forwarding headers are recognised by family, including names no list had", "[unit][http]") {
    // The ones the issue names, and more of each family.
    for (const char* name :
         {"X-Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
          "X-Forwarded-Server", "X-Forwarded-Ssl", "Forwarded", "Forwarded-For", "X-Real-IP", "X-Originating-IP",
          "X-Client-IP", "True-Client-IP", "CF-Connecting-IP", "CF-Connecting-IPv6", "CF-Ray", "CF-Visitor",
          "CF-IPCountry", "Cf-Warp-Tag-Id", "CDN-Loop", "Fastly-Client-IP", "Fastly-SSL", "Fastly-FF",
          "Akamai-Origin-Hop", "X-Akamai-Edgescape", "X-Envoy-External-Address", "X-Envoy-Internal",
          "X-Envoy-Original-Path", "Tailscale-User-Login", "Tailscale-User-Name", "Tailscale-Headers-Info",
          "Ngrok-Trace-Id", "Ngrok-Skip-Browser-Warning", "X-Ngrok-Host", "Via", "X-Cluster-Client-IP",
          "X-Original-Host", "X-Original-URL", "X-Amzn-Trace-Id", "Fly-Client-IP", "Fly-Forwarded-Port",
          "X-Azure-ClientIP", "X-ARR-ClientCert", "X-Appengine-User-IP", "X-Vercel-Forwarded-For",
          "X-Nf-Client-Connection-Ip", "Remote-Addr", "X-Remote-Addr", "X-ProxyUser-Ip", "Proxy-Client-IP",
          "WL-Proxy-Client-IP", "X-Host", "X-HTTP-Host", "Client-IP", "Surrogate-Capability", "X-Varnish",
          "X-Request-Start"}) {
        INFO(name);
        CHECK(isForwardingHeaderName(name));
        std::string lowered(name);
        for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(isForwardingHeaderName(lowered));
    }
    // What a browser, curl or the wildws CLI send is never taken for one.
    for (const char* name :
         {"Host", "User-Agent", "Accept", "Accept-Language", "Accept-Encoding", "Connection", "Content-Type",
          "Content-Length", "Transfer-Encoding", "Authorization", "Proxy-Authorization", "Origin", "Referer",
          "Cookie", "Cache-Control", "Pragma", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest",
          "Sec-Fetch-User", "Sec-CH-UA", "Sec-CH-UA-Platform", "Sec-CH-UA-Mobile", "Upgrade-Insecure-Requests",
          "DNT", "Priority", "If-None-Match", "If-Modified-Since", "Range", "Expect", "X-Support-Secret",
          "X-Requested-With", "TE", "Upgrade", "Purpose", "Sec-Purpose", "Last-Event-ID"}) {
        INFO(name);
        CHECK_FALSE(isForwardingHeaderName(name));
    }
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
