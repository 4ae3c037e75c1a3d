// One agent output parser (claude, codex or command, chosen at build time)
// fed the input's lines, as the agent's stdout would come.
#include "claude_parser.hpp"
#include "codex_parser.hpp"
#include "command_parser.hpp"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
#if defined(FUZZ_AGENT_claude)
    wildws::agent::ClaudeParser parser;
#elif defined(FUZZ_AGENT_codex)
    wildws::agent::CodexParser parser;
#else
    wildws::agent::CommandParser parser;
#endif
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<wildws::Chunk> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        parser.line(text.substr(pos, end - pos), out);
        pos = end + 1;
    }
    (void)parser.sawFinalResult();
    return 0;
}
