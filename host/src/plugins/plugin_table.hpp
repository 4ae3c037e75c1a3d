// The loader's table: every plugin file found, with its state and reason.
// Shared by `wildws plugins`, /api/plugins and the HostApi service.
#pragma once

#include <wildws/services/host.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

namespace state {
inline constexpr const char* kLoaded = "loaded";
inline constexpr const char* kDisabled = "disabled";
inline constexpr const char* kIncompatibleAbi = "incompatible-abi";
inline constexpr const char* kNoEntryPoint = "no-entry-point";
inline constexpr const char* kOpenFailed = "open-failed";
inline constexpr const char* kSetupFailed = "setup-failed";
inline constexpr const char* kDuplicate = "duplicate";
inline constexpr const char* kUnsafePermissions = "unsafe-permissions";
inline constexpr const char* kFailed = "failed"; // threw after a good load
} // namespace state

class PluginTable {
public:
    void add(PluginStatus status);
    std::vector<PluginStatus> snapshot() const;
    std::optional<PluginStatus> find(const std::string& name) const;
    bool isLoaded(const std::string& name) const;
    /// A loaded plugin threw from a handler or command: it stops being called.
    void markFailed(const std::string& name, const std::string& reason);

private:
    mutable std::mutex mutex_;
    std::vector<PluginStatus> rows_;
};

} // namespace wildws::host
