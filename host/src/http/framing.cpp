#include "http/framing.hpp"

#include <algorithm>
#include <cctype>

namespace wildws::host {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> all(const HeaderView& headers, const std::string& name) {
    std::vector<std::string> out;
    for (auto& [k, v] : headers.headers)
        if (lower(k) == name) out.push_back(v);
    return out;
}

Framing refuse(std::string message) {
    Framing f;
    f.error = std::move(message);
    return f;
}

} // namespace

Framing checkFraming(const std::string& target, const HeaderView& headers, int port,
                     const std::vector<std::string>& hostNames) {
    Framing f;
    auto hosts = all(headers, "host");
    if (hosts.size() > 1) return refuse("more than one Host header");

    if (!target.empty() && target[0] == '/') {
        f.target = target;
    } else if (lower(target.substr(0, 7)) == "http://" || lower(target.substr(0, 8)) == "https://") {
        // Absolute form (RFC 9112 3.2.2): its authority replaces Host, so it
        // must name this server just as Host must.
        auto start = target.find("//") + 2;
        auto end = target.find_first_of("/?#", start);
        std::string authority = target.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!hostAllowed(authority, port, hostNames))
            return refuse("the request target names another host ('" + authority + "')");
        if (hosts.size() == 1 && lower(trim(hosts[0])) != lower(authority))
            return refuse("the request target and the Host header name different hosts");
        f.target = end == std::string::npos ? "/" : target.substr(end);
        if (f.target[0] != '/') f.target = "/" + f.target;
    } else {
        return refuse("the request target must be a path starting with '/'");
    }

    auto lengths = all(headers, "content-length");
    auto encodings = all(headers, "transfer-encoding");
    if (lengths.size() > 1) return refuse("more than one Content-Length header");
    if (encodings.size() > 1) return refuse("more than one Transfer-Encoding header");
    if (!lengths.empty() && !encodings.empty()) return refuse("both Content-Length and Transfer-Encoding");
    if (!encodings.empty()) {
        if (lower(trim(encodings[0])) != "chunked")
            return refuse("Transfer-Encoding '" + encodings[0] + "' is not supported (only chunked)");
        f.body = BodyFraming::Chunked;
    } else if (!lengths.empty()) {
        std::string value = trim(lengths[0]);
        bool digits = !value.empty() && value.size() <= 18 &&
                      std::all_of(value.begin(), value.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
        if (!digits) return refuse("Content-Length '" + lengths[0] + "' is not a number of bytes");
        f.body = BodyFraming::Length;
        f.length = std::stoull(value);
    }
    return f;
}

} // namespace wildws::host
