#include "detect.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wildws::gemini {
namespace {

const char* kInstallHint = "install Gemini CLI with 'npm install -g @google/gemini-cli', or set [plugin.gemini] gemini_path";

std::optional<std::string> notRunnable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::string(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return std::string("is not a regular file");
    if (::access(path.c_str(), X_OK) != 0) return std::string("is not executable");
    return std::nullopt;
}

std::vector<std::string> searchDirs() {
    std::vector<std::string> dirs;
    if (const char* path = std::getenv("PATH")) {
        std::string dir;
        for (const char* p = path;; ++p) {
            if (*p == ':' || *p == '\0') {
                if (!dir.empty() && dir[0] == '/') dirs.push_back(dir);
                dir.clear();
                if (*p == '\0') break;
            } else {
                dir += *p;
            }
        }
    }
    std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
    if (!home.empty() && home[0] == '/') {
        for (const char* d : {"/.local/bin", "/.npm-global/bin", "/.volta/bin", "/.bun/bin"}) dirs.push_back(home + d);
        // Every nvm node version, the newest name first.
        std::string nvm = home + "/.nvm/versions/node";
        std::vector<std::string> names;
        if (DIR* dp = ::opendir(nvm.c_str())) {
            while (auto* e = ::readdir(dp))
                if (e->d_name[0] != '.') names.push_back(e->d_name);
            ::closedir(dp);
        }
        std::sort(names.rbegin(), names.rend());
        for (auto& n : names) dirs.push_back(nvm + "/" + n + "/bin");
    }
    dirs.push_back("/usr/local/bin");
    dirs.push_back("/opt/homebrew/bin");
    return dirs;
}

} // namespace

AgentDetection locateGemini(const GeminiSettings& s) {
    AgentDetection d;
    d.installHint = kInstallHint;
    if (!s.geminiPath.empty()) {
        if (auto why = notRunnable(s.geminiPath)) {
            d.reason = "[plugin.gemini] gemini_path = " + s.geminiPath + ": " + *why;
            return d;
        }
        d.path = s.geminiPath;
        d.found = true;
        return d;
    }
    for (auto& dir : searchDirs()) {
        std::string candidate = dir + "/gemini";
        if (!notRunnable(candidate)) {
            d.path = candidate;
            d.found = true;
            return d;
        }
    }
    d.reason = "'gemini' was not found in PATH or the usual install places";
    return d;
}

AgentDetection detectGemini(const GeminiSettings& s) {
    AgentDetection d = locateGemini(s);
    // TODO(shared): the SDK's `--version` probe once it is on main.
    return d;
}

} // namespace wildws::gemini
