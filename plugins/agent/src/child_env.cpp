#include "child_env.hpp"

#include <map>

extern char** environ;

namespace wildws::agent {

bool isScrubbed(const std::string& name, const std::vector<std::string>& patterns) {
    for (auto& p : patterns) {
        if (!p.empty() && p.back() == '*') {
            if (name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0) return true;
        } else if (name == p) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> scrubPatterns(const std::vector<std::string>& extra) {
    std::vector<std::string> out{"WILD_WORKSPACE_*", "WILDWS_*"};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

std::vector<std::string> childEnvironment(const std::vector<std::pair<std::string, std::string>>& add,
                                          const std::vector<std::string>& patterns) {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        std::string name = kv.substr(0, eq);
        if (!isScrubbed(name, patterns)) env[name] = kv.substr(eq + 1);
    }
    for (auto& [k, v] : add)
        if (!k.empty() && k.find('=') == std::string::npos && !isScrubbed(k, patterns)) env[k] = v;
    std::vector<std::string> out;
    out.reserve(env.size());
    for (auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

} // namespace wildws::agent
