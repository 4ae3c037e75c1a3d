// `wildws always-on install-unit`: a systemd user unit that runs
// `wildws ... always-on run` in the foreground, so systemd (not our
// detached supervisor) owns the lifetime across logins and reboots.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wildws::supervisor {

struct UnitSpec {
    std::vector<std::string> execStart;                           // absolute argv
    std::vector<std::pair<std::string, std::string>> environment; // Environment= lines
    int stopTimeoutSeconds = 30;
    std::string version;
};

/// One ExecStart/Environment word, quoted the way systemd.syntax(7) reads
/// it: plain when safe, else in double quotes with \ and " escaped; '%' is
/// doubled (specifiers) and '$' doubled (variable expansion) either way.
std::string systemdWord(const std::string& word);

std::string unitText(const UnitSpec& spec);

/// $XDG_CONFIG_HOME/systemd/user/wildws.service, else
/// $HOME/.config/systemd/user/wildws.service; "" when neither is set.
std::string userUnitPath(const char* xdgConfigHome, const char* home);

} // namespace wildws::supervisor
