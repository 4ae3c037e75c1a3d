#include "format.hpp"

#include <cctype>
#include <cstdio>
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
