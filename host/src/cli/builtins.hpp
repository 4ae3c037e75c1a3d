// The host's own commands: help, version, plugins.
#pragma once

#include "plugins/plugin_host.hpp"

namespace wildws::host {

Contributions builtinCommands(PluginHost& plugins, const HostInfo& host);

/// The loader's table as JSON: {"plugins": [{name, state, version, ...}]}.
std::string pluginsJson(const std::vector<PluginStatus>& rows);

} // namespace wildws::host
