// Message framing, checked before anything else looks at a request: a
// request whose length is ambiguous is refused (400, connection closed),
// because a server and a proxy (or two parsers) reading it differently is
// how requests get smuggled. Pure: unit-tested and fuzzed.
#pragma once

#include "http/request_checks.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

enum class BodyFraming { None, Length, Chunked };

struct Framing {
    std::optional<std::string> error; // set: refuse with 400 "bad-request" and this message
    BodyFraming body = BodyFraming::None;
    std::uint64_t length = 0;         // when body == Length
    std::string target;               // origin-form: "/path?query"
};

/// Content-Length: exactly one, digits only, at most 18 of them.
/// Transfer-Encoding: exactly one, "chunked", never with Content-Length.
/// Host: at most one. Target: "/..." or an absolute http URI whose
/// authority is this server (then reduced to its path).
Framing checkFraming(const std::string& target, const HeaderView& headers, int port,
                     const std::vector<std::string>& hostNames);

} // namespace wildws::host
