// The "wildws.host/1" service: the loader's table and the support actions.
#pragma once

#include "plugins/plugin_host.hpp"

#include <wildws/services/host.hpp>

namespace wildws::host {

class HostApiService : public HostApi {
public:
    explicit HostApiService(PluginHost& plugins) : plugins_(plugins) {}
    std::vector<PluginStatus> plugins() const override { return plugins_.table().snapshot(); }
    std::vector<SupportActionInfo> supportActions() const override;
    std::optional<std::string> validateSupportAction(const std::string& name,
                                                     const std::string& argsJson) const override;
    void runSupportAction(const std::string& name, const SupportActionCall& call, Response& res) const override;

private:
    const SupportActionEntry& find(const std::string& name) const;
    PluginHost& plugins_;
};

} // namespace wildws::host
