// Helpers for the agent plugin's unit tests.
#pragma once

#include <functional>

#include <wildws/config.hpp>
#include <wildws/services.hpp>
#include <wildws/services/agent.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace at {

/// A [plugin.agent] section from a map.
class MapConfig : public wildws::Config {
public:
    explicit MapConfig(std::map<std::string, std::string> values = {}) : values_(std::move(values)) {}
    std::optional<std::string> get(const std::string& key) const override;
    std::vector<std::string> keys() const override;
    std::string section() const override { return "[plugin.agent]"; }

private:
    std::map<std::string, std::string> values_;
};

/// A registry holding what a test puts in it.
class TestServices : public wildws::Services {
public:
    void add(const std::string& id, const std::string& name, std::shared_ptr<void> impl);
    std::shared_ptr<void> findRaw(std::string_view id, std::string_view name) const override;
    std::vector<std::shared_ptr<void>> allRaw(std::string_view id) const override;

private:
    struct Entry {
        std::string id, name;
        std::shared_ptr<void> impl;
    };
    std::vector<Entry> entries_;
};

/// Every chunk of a session until `end` (or the timeout: then the list ends
/// without one).
std::vector<wildws::Chunk> drain(wildws::AgentSession& s, std::chrono::milliseconds timeout = std::chrono::seconds(30));
std::vector<std::string> types(const std::vector<wildws::Chunk>& chunks);
const wildws::Chunk* findType(const std::vector<wildws::Chunk>& chunks, const std::string& type);
std::string joinText(const std::vector<wildws::Chunk>& chunks, const std::string& type);

/// A transcript's event lines (directives dropped, placeholders replaced).
std::vector<std::string> transcript(const std::string& name, const std::string& id = "sess-1");

/// True when no process `pid` exists any more, or it is only a zombie
/// (killed grandchildren are re-parented to PID 1, which may not reap them).
bool processGone(int pid);
/// Waits up to `d` for processGone(pid).
bool waitGone(int pid, std::chrono::milliseconds d);

/// Polls `pred` every 10 ms for up to `d`.
bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds d);

std::string readFile(const std::string& path);
/// Polls `path` until it exists and is non-empty, up to `d`.
bool waitForFile(const std::string& path, std::chrono::milliseconds d);

} // namespace at
