#pragma once

#include "plugins/registry.hpp"

#include <string>
#include <vector>

namespace wildws::host {

/// `wildws --help`: every command of every loaded plugin, and the global options.
std::string helpOverview(const Registry& registry, const std::string& version);
/// `wildws help WORDS...`: one command's usage and options, or a group's
/// commands. Throws UsageError when the words name nothing.
std::string helpFor(const Registry& registry, const std::vector<std::string>& words);

} // namespace wildws::host
