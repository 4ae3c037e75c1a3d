#include "detect.hpp"

#include "process_group.hpp"
#include "text_util.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wildws::agent {
namespace {

std::string expandHome(const std::string& dir) {
    if (dir.rfind("~/", 0) != 0) return dir;
    const char* home = std::getenv("HOME");
    return home && *home ? std::string(home) + dir.substr(1) : std::string();
}

bool runnable(const std::string& path) { return !notRunnable(path); }

} // namespace

std::optional<std::string> notRunnable(const std::string& path) {
    struct stat st {};
    if (path.empty() || path[0] != '/') return std::string("is not an absolute path");
    if (::stat(path.c_str(), &st) != 0) return std::string(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return std::string("is not a regular file");
    if (::access(path.c_str(), X_OK) != 0) return std::string("is not executable");
    return std::nullopt;
}

std::optional<std::string> findExecutable(const std::string& name, const std::vector<std::string>& extraDirs) {
    std::vector<std::string> dirs;
    if (const char* path = std::getenv("PATH")) {
        std::string p = path, dir;
        for (char c : p + ":") {
            if (c == ':') {
                if (!dir.empty() && dir[0] == '/') dirs.push_back(dir);
                dir.clear();
            } else {
                dir += c;
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
        // "~/.nvm/versions/node/*/bin": every version, newest name first.
        std::string parent = dir.substr(0, star), rest = dir.substr(star + 2);
        std::vector<std::string> names;
        if (DIR* dp = ::opendir(parent.c_str())) {
            while (auto* e = ::readdir(dp))
                if (e->d_name[0] != '.') names.push_back(e->d_name);
            ::closedir(dp);
        }
        std::sort(names.rbegin(), names.rend());
        for (auto& n : names) dirs.push_back(parent + "/" + n + rest);
    }
    for (auto& d : dirs) {
        if (d.empty()) continue;
        std::string candidate = d + "/" + name;
        if (runnable(candidate)) return candidate;
    }
    return std::nullopt;
}

AgentDetection probe(const ProbeSpec& spec, const std::vector<std::string>& env) {
    AgentDetection d;
    d.installHint = spec.installHint;
    if (!spec.configuredPath.empty()) {
        if (auto why = notRunnable(spec.configuredPath)) {
            d.reason = "[plugin.agent] " + spec.configKey + " = " + spec.configuredPath + ": " + *why;
            return d;
        }
        d.path = spec.configuredPath;
    } else if (auto found = findExecutable(spec.executable, spec.extraDirs)) {
        d.path = *found;
    } else {
        d.reason = "'" + spec.executable + "' was not found in PATH or the usual install places";
        return d;
    }
    d.found = true;
    if (spec.probeVersion) {
        if (auto out = captureOutput({d.path, "--version"}, env, 5000)) {
            std::string first = trim(out->substr(0, out->find('\n')));
            d.version = validUtf8(truncateUtf8(first, 200));
        }
    }
    return d;
}

AgentDetection DetectionCache::get(const std::function<AgentDetection()>& compute) const {
    std::lock_guard lock(m_);
    auto now = std::chrono::steady_clock::now();
    if (value_ && now - at_ < ttl_) return *value_;
    value_ = compute();
    at_ = now;
    return *value_;
}

} // namespace wildws::agent
