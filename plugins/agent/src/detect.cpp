#include "detect.hpp"

namespace wildws::agent {

AgentDetection probe(const ProbeSpec& spec, const std::vector<std::string>& env) {
    AgentProbe p(spec.executable, spec.installHint);
    p.extraDirs = spec.extraDirs;
    p.configuredPath = spec.configuredPath;
    p.configKey = "[plugin.agent] " + spec.configKey;
    p.probeVersion = spec.probeVersion;
    p.env = env;
    return detectAgent(p);
}

AgentDetection DetectionCache::get(const std::function<AgentDetection()>& compute) const {
    std::lock_guard lock(m_);
    auto now = std::chrono::steady_clock::now();
    if (value_ && now - at_ < ttl_) return *value_;
    value_ = compute();
    at_ = now;
    return *value_;
}

} // namespace wildws::agent
