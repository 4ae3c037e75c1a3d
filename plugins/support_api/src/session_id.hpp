// Recording ids: a support task's taskId made safe as a file name. Only
// [A-Za-z0-9._-] is kept (anything else becomes '_'), a leading '.' becomes
// '_' (no hidden files, no "." or ".."), at most 64 characters, "task" when
// nothing is left. So "../../secrets" can never name a file outside
// support-sessions/.
#pragma once

#include <string>
#include <string_view>

namespace wildws::support {

constexpr std::size_t kMaxTaskIdChars = 64;

std::string sanitizeSessionId(std::string_view taskId);

/// True when `id` is already in sanitised form (what a URL may name).
bool validSessionId(std::string_view id);

/// The candidate ids for a taskId, in order: "<id>", "<id>-2", "<id>-3", ...
std::string candidateId(const std::string& base, int attempt);

} // namespace wildws::support
