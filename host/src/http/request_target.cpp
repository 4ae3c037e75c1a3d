#include "http/request_target.hpp"

namespace wildws::host {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plusAsSpace) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hexValue(text[i + 1]);
            int lo = hexValue(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plusAsSpace) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<RequestTarget> parseTarget(std::string_view originForm) {
    RequestTarget t;
    auto q = originForm.find('?');
    std::string_view rawPath = originForm.substr(0, q);
    auto fragment = rawPath.find('#');
    if (fragment != std::string_view::npos) rawPath = rawPath.substr(0, fragment);
    auto path = percentDecode(rawPath);
    if (!path) return std::nullopt;
    t.path = path->empty() ? "/" : *path;
    std::size_t pos = 0;
    while (pos <= rawPath.size()) {
        auto end = rawPath.find('/', pos);
        if (end == std::string_view::npos) end = rawPath.size();
        if (end > pos) {
            auto segment = percentDecode(rawPath.substr(pos, end - pos));
            if (!segment) return std::nullopt;
            t.segments.push_back(std::move(*segment));
        }
        pos = end + 1;
    }
    if (q != std::string_view::npos) {
        std::string_view query = originForm.substr(q + 1);
        auto hash = query.find('#');
        if (hash != std::string_view::npos) query = query.substr(0, hash);
        std::size_t p = 0;
        while (p <= query.size()) {
            auto amp = query.find('&', p);
            if (amp == std::string_view::npos) amp = query.size();
            auto item = query.substr(p, amp - p);
            if (!item.empty()) {
                auto eq = item.find('=');
                auto name = percentDecode(item.substr(0, eq), true);
                auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                          : percentDecode(item.substr(eq + 1), true);
                if (!name || !value) return std::nullopt;
                t.query.emplace(std::move(*name), std::move(*value)); // the first of a repeated name wins
            }
            p = amp + 1;
        }
    }
    return t;
}

} // namespace wildws::host
