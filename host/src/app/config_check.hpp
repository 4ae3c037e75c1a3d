// What is wrong with the effective config, and what it is: the warnings
// every command prints, the problems that stop serve/daemon (fail closed),
// and `wildws config check`.
#pragma once

#include "app/config_store.hpp"

#include <wildws/config.hpp>

#include <map>
#include <string>
#include <vector>

namespace wildws::host {

struct ConfigProblem {
    std::string message;      // one line, starting with where ("/h/wildws.ini:3: ", "--set: ")
    bool stopsServers = false; // serve and daemon refuse to start on it
};

struct ConfigFacts {
    std::vector<std::string> pluginFiles;   // names of the wildws-<name>.so found
    std::vector<std::string> pluginDirs;    // where they were looked for
    std::vector<std::string> missingDirs;   // [plugins] dirs entries that do not exist
    std::vector<std::string> disabled;      // plugins not opened because the config disables them
    /// Keys declared by each loaded plugin (an empty list: not checked).
    std::map<std::string, std::vector<ConfigKey>> declared;
};

std::vector<ConfigProblem> findConfigProblems(const ConfigStore& config, const ConfigFacts& facts);

/// `wildws config check` as text, and as one JSON object:
/// {"file","loaded","values":[{"section","key","value","source","where"}],"problems":[{"message","stopsServers"}]}
/// source is "file", "--set", "WILDWS_SET" or "default".
std::string renderConfigText(const ConfigStore& config, const ConfigFacts& facts,
                             const std::vector<ConfigProblem>& problems);
std::string renderConfigJson(const ConfigStore& config, const ConfigFacts& facts,
                             const std::vector<ConfigProblem>& problems);

} // namespace wildws::host
