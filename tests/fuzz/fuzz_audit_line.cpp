// The consent audit line parser: one line of support-audit.jsonl.
#include "audit_log.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    std::string why;
    auto parsed = wildws::consent::parseLine(line, why);
    if (!parsed && why.empty()) std::abort(); // a refusal always says why
    return 0;
}
