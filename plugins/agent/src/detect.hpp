// Finding an agent CLI: a configured path, else the PATH, else the usual
// install places; its version from `<cli> --version` (bounded in time), and a
// short cache so listing agents or picking the default does not spawn a
// process every request.
#pragma once

#include <wildws/services/agent.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

/// An executable regular file called `name` in $PATH, then in `extraDirs`
/// ("~/" is expanded); nullopt when none.
std::optional<std::string> findExecutable(const std::string& name, const std::vector<std::string>& extraDirs);

/// Why `path` cannot be run, or nullopt when it can.
std::optional<std::string> notRunnable(const std::string& path);

struct ProbeSpec {
    std::string displayName;       // "Claude Code"
    std::string configuredPath;    // from config; when set, no search
    std::string configKey;         // "claude_path", for messages
    std::string executable;        // "claude"
    std::vector<std::string> extraDirs;
    std::string installHint;
    bool probeVersion = true;
};

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
