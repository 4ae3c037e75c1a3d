// Method + path pattern matching over the routes of one role. A literal
// segment beats a `:param` at the same place, so /api/chat/sessions and
// /api/chat/:id can live side by side.
#pragma once

#include "plugins/registry.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

struct RouteMatch {
    const RouteEntry* route = nullptr;       // null: no route for this method
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;        // methods of the path, when 405
};

class Router {
public:
    Router(const std::vector<RouteEntry>& all, Role role);
    /// nullopt: no route has this path at all (404).
    /// `segments` are the path's, each percent-decoded once (parseTarget).
    std::optional<RouteMatch> match(Method method, const std::vector<std::string>& segments) const;
    static std::optional<Method> parseMethod(const std::string& name);

private:
    std::vector<const RouteEntry*> routes_;
};

} // namespace wildws::host
