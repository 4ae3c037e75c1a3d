#include "text_util.hpp"

namespace wildws::agent {
namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
std::size_t sequenceLength(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

} // namespace

std::string validUtf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        std::size_t n = sequenceLength(in, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(in.data() + i, n);
            i += n;
        }
    }
    return out;
}

std::string truncateUtf8(std::string_view in, std::size_t maxBytes) {
    if (in.size() <= maxBytes) return std::string(in);
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(in[cut]) & 0xC0) == 0x80) --cut;
    return std::string(in.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string trim(std::string_view in) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    std::size_t b = 0, e = in.size();
    while (b < e && space(in[b])) ++b;
    while (e > b && space(in[e - 1])) --e;
    return std::string(in.substr(b, e - b));
}

} // namespace wildws::agent
