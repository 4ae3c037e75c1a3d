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

std::optional<std::string> forwardingHeader(const HeaderView& headers) {
    static const std::vector<std::string> exact = {"forwarded",     "x-real-ip",     "cf-connecting-ip", "cf-ray",
                                  "cf-visitor",    "cf-warp-tag-id", "true-client-ip",   "x-client-ip",
                                  "x-original-host", "via",          "x-cluster-client-ip", "fastly-client-ip"};
    for (auto& [k, v] : headers.headers) {
        std::string name = lower(k);
        if (name.rfind("x-forwarded-", 0) == 0) return k;
        for (auto& e : exact)
            if (name == e) return k;
    }
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
