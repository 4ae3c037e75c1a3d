// The keys the host itself reads, by section, with their defaults: the
// source of truth for unknown-key warnings and `wildws config check`.
// A new host key is added here (and to the README) or it warns as unknown.
#pragma once

#include <wildws/config.hpp>

#include <string>
#include <vector>

namespace wildws::host {

/// The host's sections: "serve", "daemon", "plugins".
std::vector<std::string> hostSections();
/// The keys of one host section (empty for any other name).
const std::vector<ConfigKey>& hostKeys(const std::string& section);
/// The key every [plugin.<name>] section has, read by the host.
const ConfigKey& pluginEnabledKey();

} // namespace wildws::host
