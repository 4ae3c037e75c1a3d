// The host's own commands: help, version, plugins.
#pragma once

#include "plugins/plugin_host.hpp"

#include <Poco/JSON/Array.h>

namespace wildws::host {

Contributions builtinCommands(PluginHost& plugins, const HostInfo& host);

/// The loader's table: [{name, state, version, description, file, reason}].
Poco::JSON::Array::Ptr pluginsArray(const std::vector<PluginStatus>& rows);
/// {"plugins": pluginsArray(rows)} as text.
std::string pluginsJson(const std::vector<PluginStatus>& rows);

} // namespace wildws::host
