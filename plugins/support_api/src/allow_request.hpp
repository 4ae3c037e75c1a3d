// POST /api/support/allow's body, read so that the consent service's rules
// (and its exact messages) decide every value, and a value of the wrong JSON
// type is refused naming the field (never converted: "tier":"3" is a 400):
//   tier     a JSON integer; default 1
//   minutes  a JSON whole number; default 60; above the maximum it is capped
//            (a huge one written with an exponent, 1e+23, saturates too)
//   confirm  true or false; tiers 3-4 need true (--yes)
//   reason   a string; "" counts as no reason (a blank field on the page)
#pragma once

#include <wildws/common/json.hpp>

#include <wildws/services/consent.hpp>

#include <optional>
#include <string>

namespace wildws::support {

struct AllowRequest {
    GrantRequest request;
    struct Error {
        std::string code;    // bad-tier, bad-minutes, bad-confirm, bad-reason
        std::string message; // names the field and the type it got
    };
    std::optional<Error> error; // a field of the wrong type
};

AllowRequest readAllowRequest(const json::Object& body);

/// What the owner is told when tier 3-4 comes without confirm: true.
std::string confirmMessage(int tier, const std::string& allows);

} // namespace wildws::support
