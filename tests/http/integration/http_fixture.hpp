#pragma once

#include "http_client.hpp"
#include "server.hpp"

#include <filesystem>

/// A plugins dir with only the HTTP fixture plugin.
inline std::string fixturePlugins() { return HTTP_FIXTURES_DIR; }

inline wt::Server fixtureServer(const std::string& home, std::vector<std::string> extra = {},
                                const wt::RunOptions& options = {}) {
    extra.insert(extra.begin(), {"--plugins-dir", fixturePlugins()});
    return wt::Server(home, "serve", extra, options);
}
