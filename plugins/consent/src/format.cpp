#include "format.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <limits>

namespace wildws::consent {

std::string formatDuration(std::int64_t ms) {
    if (ms < 0) ms = 0;
    std::int64_t m = ms / 60000 + (ms % 60000 >= 30000 ? 1 : 0); // rounded, and no overflow near INT64_MAX
    if (m < 60) return std::to_string(m) + " min";
    return std::to_string(m / 60) + "h " + std::to_string(m % 60) + "m";
}

std::string formatMaximum(std::int64_t minutes) {
    if (minutes > 0 && minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
    if (minutes > std::numeric_limits<std::int64_t>::max() / 60000) minutes = std::numeric_limits<std::int64_t>::max() / 60000;
    return formatDuration(minutes * 60000);
}

std::string isoUtc(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int millis = static_cast<int>(ms - static_cast<std::int64_t>(secs) * 1000);
    std::tm tm{};
    if (!::gmtime_r(&secs, &tm)) return "?";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

std::string localTime(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    if (!::localtime_r(&secs, &tm)) return "?";
    char buf[64];
    if (std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0) return "?";
    return buf;
}

std::size_t bidiControlAt(std::string_view text, std::size_t i) {
    auto at = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    if (at(0) == 0xd8 && at(1) == 0x9c) return 2; // U+061C ARABIC LETTER MARK
    if (at(0) != 0xe2) return 0;
    const unsigned b1 = at(1), b2 = at(2);
    if (b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f)) return 3;  // U+200E, U+200F
    if (b1 == 0x80 && b2 >= 0xaa && b2 <= 0xae) return 3;     // U+202A..U+202E
    if (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9) return 3;     // U+2066..U+2069
    return 0;
}

namespace {

/// "\u202e" for the bidi control of `len` bytes at text[i].
std::string bidiEscape(std::string_view text, std::size_t i, std::size_t len) {
    unsigned cp = 0;
    if (len == 2) cp = ((static_cast<unsigned char>(text[i]) & 0x1fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3fu);
    else
        cp = ((static_cast<unsigned char>(text[i]) & 0x0fu) << 12) |
             ((static_cast<unsigned char>(text[i + 1]) & 0x3fu) << 6) | (static_cast<unsigned char>(text[i + 2]) & 0x3fu);
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    return buf;
}

} // namespace

std::string neutralizeBidi(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (auto len = bidiControlAt(text, i)) {
            out += bidiEscape(text, i, len);
            i += len - 1;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (auto len = bidiControlAt(text, i)) {
            out += bidiEscape(text, i, len);
            i += len - 1;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xa9)) {
            out += static_cast<unsigned char>(text[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string shellQuote(const std::string& word) {
    bool plain = !word.empty();
    for (unsigned char c : word)
        plain = plain && (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == ',');
    if (plain) return word;
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

} // namespace wildws::consent
