// wildws SDK - periodic work inside serve or daemon.
//
// Each role runs its ticks on a scheduler of its own: a tick that throws is
// logged (and shown in /api/plugins) and runs again next interval; a slow
// tick never delays the others. One tick never overlaps itself.
#pragma once

#include <wildws/http.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace wildws {

struct TickSpec {
    std::string name;                     // unique within the plugin
    Role role = Role::Workspace;
    std::chrono::milliseconds interval{1000};
    std::function<void()> run;
};

} // namespace wildws
