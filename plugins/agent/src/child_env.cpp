#include "child_env.hpp"

namespace wildws::agent {

std::vector<std::string> scrubPatterns(const std::vector<std::string>& extra) {
    std::vector<std::string> out{"WILD_WORKSPACE_*", "WILDWS_*"};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

} // namespace wildws::agent
