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

std::string localTime(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    if (!::localtime_r(&secs, &tm)) return "?";
    char buf[64];
    if (std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0) return "?";
    return buf;
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
