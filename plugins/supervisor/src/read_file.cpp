#include "read_file.hpp"

#include <fstream>
#include <sstream>

namespace wildws::supervisor {

std::optional<std::string> readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace wildws::supervisor
