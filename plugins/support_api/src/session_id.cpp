#include "session_id.hpp"

namespace wildws::support {
namespace {

bool allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

} // namespace

std::string sanitizeSessionId(std::string_view taskId) {
    std::string out;
    for (char c : taskId) {
        if (out.size() >= kMaxTaskIdChars) break;
        out += allowed(c) ? c : '_';
    }
    for (auto& c : out) {
        if (c != '.') break;
        c = '_';
    }
    if (out.empty()) out = "task";
    return out;
}

bool validSessionId(std::string_view id) {
    // The suffix ("-12") may take an id past 64 characters.
    if (id.empty() || id.size() > kMaxTaskIdChars + 8 || id[0] == '.') return false;
    for (char c : id)
        if (!allowed(c)) return false;
    return true;
}

std::string candidateId(const std::string& base, int attempt) {
    return attempt <= 1 ? base : base + "-" + std::to_string(attempt);
}

} // namespace wildws::support
