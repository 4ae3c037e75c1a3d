#include "format.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace wildws::consent {

std::string formatDuration(std::int64_t ms) {
    if (ms < 0) ms = 0;
    std::int64_t m = (ms + 30000) / 60000;
    if (m < 60) return std::to_string(m) + " min";
    return std::to_string(m / 60) + "h " + std::to_string(m % 60) + "m";
}

std::string formatMaximum(std::int64_t minutes) {
    if (minutes > 0 && minutes % 60 == 0) return std::to_string(minutes / 60) + "h";
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

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
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
