// Finding the gemini CLI through the SDK's detectAgent(): [plugin.gemini]
// gemini_path, else the PATH, else the usual places npm, volta, bun and nvm
// install to; its version from `gemini --version` under a timeout. Cached
// for detect_cache_seconds.
#pragma once

#include "settings.hpp"

#include <wildws/services/agent.hpp>

#include <chrono>
#include <mutex>
#include <optional>

namespace wildws::gemini {

/// Where the CLI is, without running it (enough to start a run).
AgentDetection locateGemini(const GeminiSettings& s);
/// locateGemini() plus the version.
AgentDetection detectGemini(const GeminiSettings& s);

class DetectionCache {
public:
    explicit DetectionCache(std::chrono::seconds ttl) : ttl_(ttl) {}
    template <class F>
    AgentDetection get(F compute) const {
        std::lock_guard lock(m_);
        auto now = std::chrono::steady_clock::now();
        if (!value_ || now - at_ >= ttl_) {
            value_ = compute();
            at_ = now;
        }
        return *value_;
    }

private:
    std::chrono::seconds ttl_;
    mutable std::mutex m_;
    mutable std::optional<AgentDetection> value_;
    mutable std::chrono::steady_clock::time_point at_;
};

} // namespace wildws::gemini
