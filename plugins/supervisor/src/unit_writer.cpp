#include "unit_writer.hpp"

namespace wildws::supervisor {

std::string systemdWord(const std::string& word) {
    bool plain = !word.empty();
    std::string escaped;
    for (char c : word) {
        if (c == '%') {
            escaped += "%%";
            continue;
        }
        if (c == '$') {
            escaped += "$$";
            continue;
        }
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string("/._-:=@+,").find(c) != std::string::npos;
        if (!safe) plain = false;
        if (c == '\\' || c == '"') escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return plain ? escaped : "\"" + escaped + "\"";
}

std::string unitText(const UnitSpec& spec) {
    std::string exec;
    for (auto& w : spec.execStart) exec += (exec.empty() ? "" : " ") + systemdWord(w);
    std::string out;
    out += "# Written by 'wildws always-on install-unit' (wildws " + spec.version + ").\n";
    out += "# Run that command again to rewrite it; edits here are lost then.\n";
    out += "[Unit]\n";
    out += "Description=wildws always-on: keeps the workspace server and the support daemon running\n";
    out += "\n[Service]\n";
    out += "Type=simple\n";
    out += "ExecStart=" + exec + "\n";
    out += "Restart=on-failure\n";
    out += "RestartSec=2s\n";
    out += "# 3: another supervisor (say, one from 'wildws always-on start') holds the lock.\n";
    out += "RestartPreventExitStatus=3\n";
    out += "# The supervisor stops its children itself (SIGTERM to each process group,\n";
    out += "# SIGKILL after its grace period); mixed sends SIGTERM to it alone first.\n";
    out += "KillMode=mixed\n";
    out += "TimeoutStopSec=" + std::to_string(spec.stopTimeoutSeconds) + "s\n";
    for (auto& [k, v] : spec.environment) out += "Environment=" + systemdWord(k + "=" + v) + "\n";
    out += "\n[Install]\n";
    out += "WantedBy=default.target\n";
    return out;
}

std::string userUnitPath(const char* xdgConfigHome, const char* home) {
    if (xdgConfigHome && *xdgConfigHome == '/') return std::string(xdgConfigHome) + "/systemd/user/wildws.service";
    if (home && *home) return std::string(home) + "/.config/systemd/user/wildws.service";
    return "";
}

} // namespace wildws::supervisor
