// wildws SDK service "wildws.host/1", provided by the host itself: what the
// loader found and which support actions are registered.
#pragma once

#include <wildws/export.hpp>
#include <wildws/support.hpp>

#include <string>
#include <vector>

namespace wildws {

struct PluginStatus {
    std::string name;
    std::string version;
    std::string description;
    std::string file;
    /// loaded, disabled, incompatible-abi, no-entry-point, open-failed,
    /// setup-failed, duplicate, unsafe-permissions, failed (threw after load)
    std::string state;
    std::string reason; // one line for every state but loaded
};

struct SupportActionInfo {
    std::string name;
    int minTier = 1;
    std::string description;
    std::string plugin; // who registered it
};

class WILDWS_EXPORT HostApi {
public:
    static constexpr const char* kServiceId = "wildws.host/1";
    virtual ~HostApi();
    virtual std::vector<PluginStatus> plugins() const = 0;
    virtual std::vector<SupportActionInfo> supportActions() const = 0;
    /// Runs a registered action's validator; nullopt means "fine".
    /// Throws std::out_of_range for an unknown name.
    virtual std::optional<std::string> validateSupportAction(const std::string& name,
                                                             const std::string& argsJson) const = 0;
    /// Runs a registered action, guarded like any plugin call: a throw
    /// becomes a 500 JSON error (or an error line on an open stream).
    virtual void runSupportAction(const std::string& name, const SupportActionCall& call,
                                  Response& res) const = 0;
};

} // namespace wildws
