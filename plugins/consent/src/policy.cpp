#include "policy.hpp"

#include "format.hpp"

#include <cctype>

namespace wildws::consent {

std::string tierDescription(int tier) {
    switch (tier) {
    case 1: return "read diagnostics + logs only";
    case 2: return "read diagnostics/logs + run curated fixes (like restarting the server)";
    case 3: return "read diagnostics/logs + curated fixes + operate your agent on a task";
    case 4: return "read diagnostics/logs + curated fixes + operate your agent + run raw shell commands";
    default: return "";
    }
}

std::string operateVerb(int tier) { return tier >= 4 ? "run shell commands on" : "operate the agent on"; }

std::string tierUsageLine() {
    return "tier must be 1..4 (1 = read-only diagnostics/logs, 2 = curated fixes, 3 = let support operate your "
           "agent, 4 = raw shell).";
}

std::string minutesUsageLine(std::int64_t maxMinutes) {
    return "minutes must be a positive whole number (e.g. --minutes 60); longer than the maximum (" +
           formatMaximum(maxMinutes) + ") is capped.";
}

std::string reasonUsageLine() {
    return "reason must be 1.." + std::to_string(kMaxReasonBytes) +
           " characters on one line (no control or bidi characters).";
}

namespace {

bool allDigits(const std::string& s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (!std::isdigit(c)) return false;
    return true;
}

} // namespace

std::optional<int> parseTier(const std::string& text) {
    if (text.size() != 1 || !allDigits(text)) return std::nullopt;
    int tier = text[0] - '0';
    if (tier < kMinTier || tier > kMaxTier) return std::nullopt;
    return tier;
}

MinutesValue parseMinutes(const std::string& text) {
    MinutesValue v;
    if (!allDigits(text)) return v;
    std::int64_t n = 0;
    for (unsigned char c : text) {
        n = n * 10 + (c - '0');
        if (n > kMinutesSaturation) {
            n = kMinutesSaturation; // saturate: it is capped anyway
            v.saturated = true;
            break;
        }
    }
    if (n < 1) return v;
    v.valid = true;
    v.minutes = n;
    return v;
}

bool reasonIsValid(const std::string& reason) {
    if (reason.empty() || reason.size() > kMaxReasonBytes) return false;
    for (std::size_t i = 0; i < reason.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(reason[i]);
        if (c < 0x20 || c == 0x7f || bidiControlAt(reason, i)) return false;
        if (c == 0xe2 && i + 2 < reason.size() && static_cast<unsigned char>(reason[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(reason[i + 2]) == 0xa8 || static_cast<unsigned char>(reason[i + 2]) == 0xa9))
            return false;
    }
    return true;
}

MaxMinutesSetting readMaxMinutes(const std::optional<std::string>& raw, const std::string& section) {
    MaxMinutesSetting s;
    if (!raw) return s;
    std::string v = *raw;
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
    std::size_t start = 0;
    while (start < v.size() && std::isspace(static_cast<unsigned char>(v[start]))) ++start;
    v = v.substr(start);
    auto parsed = parseMinutes(v);
    if (!parsed.valid) {
        s.error = section + " max_minutes = '" + v + "': expected a whole number of minutes from 1 to " +
                  std::to_string(kHardMaxMinutes) + "; fix it in wildws.ini";
        return s;
    }
    if (parsed.minutes > kHardMaxMinutes) {
        s.warning = section + " max_minutes = " + v + " is above the ceiling of " +
                    std::to_string(kHardMaxMinutes) + " (8h): an admin may only lower it; using " +
                    std::to_string(kHardMaxMinutes);
        s.minutes = kHardMaxMinutes;
        return s;
    }
    s.minutes = parsed.minutes;
    return s;
}

} // namespace wildws::consent
