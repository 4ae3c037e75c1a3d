#include "command_parser.hpp"

#include <wildws/common/text.hpp>

namespace wildws::agent {

void CommandParser::line(std::string_view line, std::vector<Chunk>& out) {
    Chunk c;
    c.type = "text";
    c.text = common::sanitizeUtf8(line);
    c.text += '\n';
    out.push_back(std::move(c));
}

} // namespace wildws::agent
