// The host's own commands: help, version, plugins, config check.
#pragma once

#include "app/config_check.hpp"
#include "plugins/plugin_host.hpp"

#include <Poco/JSON/Array.h>

namespace wildws::host {

/// The effective config and its problems, filled in once plugins are loaded
/// (their declared keys are part of the check).
struct ConfigReport {
    const ConfigStore* config = nullptr;
    ConfigFacts facts;
    std::vector<ConfigProblem> problems;
};

Contributions builtinCommands(PluginHost& plugins, const HostInfo& host, const ConfigReport& report);

/// The loader's table: [{name, state, version, description, file, reason}].
Poco::JSON::Array::Ptr pluginsArray(const std::vector<PluginStatus>& rows);
/// {"plugins": pluginsArray(rows)} as text.
std::string pluginsJson(const std::vector<PluginStatus>& rows);

} // namespace wildws::host
