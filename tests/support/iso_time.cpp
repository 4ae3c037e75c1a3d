#include "wildws_test.hpp"

#include <wildws/common/clock.hpp>

#include <regex>

namespace wt {

std::optional<long long> isoMs(const std::string& text) {
    static const std::regex layout(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
    if (!std::regex_match(text, layout)) return std::nullopt;
    auto ms = wildws::common::parseIsoUtc(text);
    if (!ms) return std::nullopt;
    return static_cast<long long>(*ms);
}

} // namespace wt
