#include "app/log_escape.hpp"

#include <cstdint>
#include <cstdio>

namespace wildws::host {
namespace {

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when the
// bytes there are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& cp) {
    auto b = static_cast<unsigned char>(text[i]);
    std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    if (len == 0 || b >= 0xF8 || i + len > text.size()) return 0;
    cp = b & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        auto c = static_cast<unsigned char>(text[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    static const std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool hidden(std::uint32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || cp == 0x2028 ||
           cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

bool needsLogEscape(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x20 || b == 0x7F) return true;
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        std::size_t len = decode(text, i, cp);
        if (len == 0 || hidden(cp)) return true;
        i += len;
    }
    return false;
}

std::string escapeForLog(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    char buf[12];
    for (std::size_t i = 0; i < text.size();) {
        auto b = static_cast<unsigned char>(text[i]);
        if (b == '\n') out += "\\n";
        else if (b == '\r') out += "\\r";
        else if (b == '\t') out += "\\t";
        else if (b < 0x20 || b == 0x7F) {
            std::snprintf(buf, sizeof buf, "\\x%02X", b);
            out += buf;
        } else if (b < 0x80) {
            out += static_cast<char>(b);
        } else {
            std::uint32_t cp = 0;
            std::size_t len = decode(text, i, cp);
            if (len == 0) {
                std::snprintf(buf, sizeof buf, "\\x%02X", b);
                out += buf;
            } else if (hidden(cp)) {
                std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
                out += buf;
                i += len;
                continue;
            } else {
                out.append(text.substr(i, len));
                i += len;
                continue;
            }
        }
        ++i;
    }
    return out;
}

} // namespace wildws::host
