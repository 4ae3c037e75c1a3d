// Runs one command line against the loaded plugins.
#pragma once

#include "cli/global_options.hpp"
#include "plugins/plugin_host.hpp"

#include <ostream>

namespace wildws::host {

int runCommandLine(PluginHost& plugins, const HostInfo& host, const GlobalOptions& options, std::ostream& out,
                   std::ostream& err);

} // namespace wildws::host
