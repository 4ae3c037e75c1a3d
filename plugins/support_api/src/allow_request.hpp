// POST /api/support/allow's body read the way the CLI reads its options, so
// the consent service's rules (and its exact messages) decide:
//   tier     a JSON integer, or a string of digits (what --tier takes); default 1
//   minutes  the same; default 60; above the maximum it is capped
//   confirm  true or false; tiers 3-4 need true (--yes)
//   reason   a string; "" counts as no reason (a blank field on the page)
// A value of the wrong type becomes an out-of-range one (tier 0, minutes 0,
// a reason with a newline), so Consent::grant refuses it with the CLI's words.
#pragma once

#include <wildws/common/json.hpp>

#include <wildws/services/consent.hpp>

#include <optional>
#include <string>

namespace wildws::support {

struct AllowRequest {
    GrantRequest request;
    struct Error {
        std::string code;
        std::string message;
    };
    std::optional<Error> error; // only for a `confirm` that is not a boolean
};

AllowRequest readAllowRequest(const json::Object& body);

/// What the owner is told when tier 3-4 comes without confirm: true.
std::string confirmMessage(int tier, const std::string& allows);

} // namespace wildws::support
