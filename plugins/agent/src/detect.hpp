// Finding an agent CLI: the SDK's detectAgent() (a configured path, else the
// PATH, else the usual install places; the version from `<cli> --version`,
// bounded in time), with the agent plugin's config wording, and a short
// cache so listing agents or picking the default does not spawn a process
// every request (the cache policy is ours, not the SDK's).
#pragma once

#include <wildws/agent_detect.hpp>
#include <wildws/services/agent.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

using wildws::findExecutable;
using wildws::notRunnable;

struct ProbeSpec {
    std::string displayName;       // "Claude Code"
    std::string configuredPath;    // from config; when set, no search
    std::string configKey;         // "claude_path", for messages ("[plugin.agent] claude_path = ...")
    std::string executable;        // "claude"
    std::vector<std::string> extraDirs;
    std::string installHint;
    bool probeVersion = true;
};

/// detectAgent() for one of our backends; `env` is the environment of
/// `--version` (empty: ours without the wildws variables).
AgentDetection probe(const ProbeSpec& spec, const std::vector<std::string>& env);

/// Thread-safe memo of one detection for `ttl`.
class DetectionCache {
public:
    explicit DetectionCache(std::chrono::seconds ttl) : ttl_(ttl) {}
    AgentDetection get(const std::function<AgentDetection()>& compute) const;

private:
    std::chrono::seconds ttl_;
    mutable std::mutex m_;
    mutable std::optional<AgentDetection> value_;
    mutable std::chrono::steady_clock::time_point at_;
};

} // namespace wildws::agent
