#include <wildws/agent_detect.hpp>
#include <wildws/process.hpp>

#include <wildws/common/text.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wildws {
namespace {

constexpr std::size_t kMaxVersionBytes = 200;

std::string expandHome(const std::string& dir) {
    if (dir.rfind("~/", 0) != 0) return dir;
    const char* home = std::getenv("HOME");
    return home && *home ? std::string(home) + dir.substr(1) : std::string();
}

/// "v20.11.0" after "v9.0.0": digit runs compare as numbers.
bool newerName(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
            std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            na.erase(0, std::min(na.find_first_not_of('0'), na.size()));
            nb.erase(0, std::min(nb.find_first_not_of('0'), nb.size()));
            if (na.size() != nb.size()) return na.size() > nb.size();
            if (na != nb) return na > nb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] > b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i > b.size() - j;
}

} // namespace

std::vector<std::string> AgentProbe::usualInstallDirs() {
    return {"~/.local/bin",   "~/.npm-global/bin", "~/.volta/bin",     "~/.bun/bin", "~/.nvm/versions/node/*/bin",
            "/usr/local/bin", "/opt/homebrew/bin"};
}

std::optional<std::string> notRunnable(const std::string& path) {
    struct stat st {};
    if (path.empty() || path[0] != '/') return std::string("is not an absolute path");
    if (::stat(path.c_str(), &st) != 0) return std::string(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return std::string("is not a regular file");
    if (::access(path.c_str(), X_OK) != 0) return std::string("is not executable");
    return std::nullopt;
}

std::optional<std::string> findExecutable(const std::string& name, const std::vector<std::string>& extraDirs) {
    if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
    std::vector<std::string> dirs;
    if (const char* path = std::getenv("PATH")) {
        std::string dir;
        for (const char* c = path;; ++c) {
            if (*c == ':' || *c == '\0') {
                if (!dir.empty() && dir[0] == '/') dirs.push_back(dir);
                dir.clear();
                if (*c == '\0') break;
            } else {
                dir += *c;
            }
        }
    }
    for (auto& d : extraDirs) {
        std::string dir = expandHome(d);
        auto star = dir.find("/*/");
        if (star == std::string::npos) {
            dirs.push_back(dir);
            continue;
        }
        // "~/.nvm/versions/node/*/bin": every version, newest first.
        std::string parent = dir.substr(0, star), rest = dir.substr(star + 2);
        std::vector<std::string> names;
        if (DIR* dp = ::opendir(parent.c_str())) {
            while (auto* e = ::readdir(dp))
                if (e->d_name[0] != '.') names.push_back(e->d_name);
            ::closedir(dp);
        }
        std::sort(names.begin(), names.end(), newerName);
        for (auto& n : names) dirs.push_back(parent + "/" + n + rest);
    }
    for (auto& d : dirs) {
        if (d.empty()) continue;
        std::string candidate = d + "/" + name;
        if (!notRunnable(candidate)) return candidate;
    }
    return std::nullopt;
}

AgentDetection detectAgent(const AgentProbe& probe) {
    AgentDetection d;
    d.installHint = probe.installHint;
    if (!probe.configuredPath.empty()) {
        if (auto why = notRunnable(probe.configuredPath)) {
            d.reason = probe.configKey + " = " + probe.configuredPath + ": " + *why;
            return d;
        }
        d.path = probe.configuredPath;
    } else if (auto found = findExecutable(probe.executable, probe.extraDirs)) {
        d.path = *found;
    } else {
        d.reason = "'" + probe.executable + "' was not found in PATH or the usual install places";
        return d;
    }
    d.found = true;
    if (!probe.probeVersion) return d;
    SpawnOptions o;
    o.argv = {d.path, "--version"};
    o.env = probe.env.empty() ? childEnvironment({"WILD_WORKSPACE_*", "WILDWS_*"}) : probe.env;
    try {
        auto r = runToEnd(o, probe.timeout, {}, 65536);
        if (!r.timedOut && r.status.value() == 0) {
            std::string first = common::trim(r.out.substr(0, r.out.find('\n')));
            d.version = common::sanitizeUtf8(common::shortenUtf8(first, kMaxVersionBytes));
        }
    } catch (const std::exception&) {
        // Found but cannot start: the version stays empty; launch() will say why.
    }
    return d;
}

} // namespace wildws
