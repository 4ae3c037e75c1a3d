#include "http/request_checks.hpp"

#include <algorithm>
#include <cctype>

namespace wildws::host {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool iequals(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

} // namespace

std::optional<std::string> HeaderView::get(const std::string& name) const {
    for (auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return std::nullopt;
}

bool HeaderView::has(const std::string& name) const { return get(name).has_value(); }

bool hostAllowed(const std::optional<std::string>& host, int port, const std::vector<std::string>& extraNames) {
    if (!host || host->empty()) return false;
    std::string h = lower(*host);
    std::string p = ":" + std::to_string(port);
    for (const std::string name : {"127.0.0.1", "localhost", "[::1]"})
        if (h == name + p) return true;
    for (auto& name : extraNames)
        if (!name.empty() && h == lower(name) + p) return true;
    return false;
}

namespace {

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

bool isForwardingHeaderName(const std::string& header) {
    std::string name = lower(header);
    // 1. Anything that says it was forwarded or proxied: Forwarded,
    //    X-Forwarded, X-Forwarded-For/-Host/-Proto/..., X-Proxy-*, Proxy-*
    //    (not Proxy-Authorization, which a client sends itself), Via.
    if (name.find("forwarded") != std::string::npos) return true;
    if (name == "via" || startsWith(name, "x-proxy") || (startsWith(name, "proxy-") && name != "proxy-authorization"))
        return true;
    // 2. A client address relayed by someone: *-IP, *-IPv6, *-Addr, *-Address
    //    (X-Real-IP, True-Client-IP, X-Client-IP, X-Cluster-Client-IP,
    //    CF-Connecting-IPv6, Fly-Client-IP, X-Envoy-External-Address,
    //    Remote-Addr, ...), and the X-Originating / X-Original family
    //    (X-Originating-IP, X-Original-Host, X-Original-URL).
    for (const char* suffix : {"-ip", "-ipv6", "-ips", "-addr", "-address"})
        if (endsWith(name, suffix)) return true;
    if (startsWith(name, "x-originating") || startsWith(name, "x-original-")) return true;
    // 3. Headers only a proxy, CDN or tunnel adds, by vendor prefix.
    for (const char* prefix :
         {"cf-", "cdn-loop", "fastly-", "x-fastly", "akamai-", "x-akamai", "x-envoy-", "tailscale-", "ngrok-",
          "x-ngrok", "x-amzn-", "x-amz-cf-", "x-azure-", "x-arr-", "x-ms-forwarded", "x-appengine-", "x-cloud-trace",
          "x-vercel-", "x-nf-", "fly-", "x-railway-", "x-render-", "x-heroku-", "x-request-start", "x-varnish",
          "x-cache", "x-bluecoat", "x-imforwards", "x-coming-from", "x-host", "x-http-host", "x-cluster-",
          "x-client-", "x-remote-", "true-client-", "client-ip", "x-real-", "x-squid", "surrogate-", "x-tunnel",
          "x-tailscale", "x-cloudflare", "x-zscaler", "x-cdn", "x-edge-", "x-sucuri", "x-iinfo", "incap-",
          "x-gateway-", "x-kong-", "x-traefik", "x-nginx-proxy", "x-apigw-"})
        if (startsWith(name, prefix)) return true;
    return false;
}

std::optional<std::string> forwardingHeader(const HeaderView& headers) {
    for (auto& [k, v] : headers.headers)
        if (isForwardingHeaderName(k)) return k;
    return std::nullopt;
}

bool isLoopbackPeer(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address.rfind("[::1]", 0) == 0 || address.rfind("::1", 0) == 0 ||
           address.rfind("[::ffff:127.", 0) == 0;
}

bool loopbackOrigin(const std::string& origin, int port) {
    std::string o = lower(origin);
    std::string p = ":" + std::to_string(port);
    for (const std::string name : {"127.0.0.1", "localhost", "[::1]"})
        if (o == "http://" + name + p) return true;
    return false;
}

std::string mediaType(const std::string& contentType) {
    std::string t = contentType.substr(0, contentType.find(';'));
    auto b = t.find_first_not_of(" \t");
    auto e = t.find_last_not_of(" \t");
    return b == std::string::npos ? "" : lower(t.substr(b, e - b + 1));
}

} // namespace wildws::host
