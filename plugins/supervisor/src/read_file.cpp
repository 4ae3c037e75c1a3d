#include "read_file.hpp"

#include <wildws/secure.hpp>

namespace wildws::supervisor {

std::optional<std::string> readWholeFile(const std::string& path) {
    // Every file read here is a state file in the home: through the SDK's
    // safe reader (no symlink, regular files only, capped), so a FIFO in
    // its place can never block the supervisor or a command.
    auto read = wildws::readStateFile(path);
    if (!read.ok()) return std::nullopt;
    return std::move(read.content);
}

} // namespace wildws::supervisor
