// The consent grant parser and policy, on arbitrary support-consent.json text.
#include "grant_store.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (std::int64_t now : {std::int64_t{0}, std::int64_t{1767225600000}, INT64_MAX}) {
        auto check = wildws::consent::evaluateGrant(text, now, 240);
        (void)check;
    }
    return 0;
}
