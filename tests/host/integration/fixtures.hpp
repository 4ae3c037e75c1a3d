// Builds a plugins directory out of the fixture libraries a test names.
#pragma once

#include "wildws_test.hpp"

#include <filesystem>
#include <string>
#include <vector>

inline std::string fixture(const std::string& name) { return std::string(FIXTURES_DIR) + "/wildws-" + name + ".so"; }

/// Copies each fixture into `dir` (created 0755), as wildws-<as>.so.
inline std::string pluginsDirAs(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& items) {
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms(0755));
    for (auto& [from, as] : items)
        std::filesystem::copy_file(fixture(from), dir + "/wildws-" + as + ".so",
                                   std::filesystem::copy_options::overwrite_existing);
    return dir;
}

inline std::string pluginsDir(const std::string& dir, const std::vector<std::string>& names) {
    std::vector<std::pair<std::string, std::string>> items;
    for (auto& n : names) items.emplace_back(n, n);
    return pluginsDirAs(dir, items);
}
