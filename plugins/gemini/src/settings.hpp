// [plugin.gemini] in wildws.ini.
#pragma once

#include <wildws/config.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace wildws::gemini {

struct GeminiSettings {
    std::string geminiPath;                 // gemini_path: when set, no search
    std::vector<std::string> geminiArgs;    // gemini_args: a JSON array of strings, or words
    std::string buildApprovalMode = "auto_edit"; // build_approval_mode: default | auto_edit | yolo
    bool skipTrust = false;                 // skip_trust: pass --skip-trust (trust every cwd)
    std::chrono::seconds detectCache{30};   // detect_cache_seconds
    std::chrono::seconds signinCache{30};   // signin_cache_seconds
};

/// Throws wildws::ConfigError naming the key for a malformed value.
GeminiSettings readSettings(const Config& config);

} // namespace wildws::gemini
