// Keeps secret values out of what support reads (diagnostics, logs): every
// occurrence of a known secret (partnerToken, shareSecret,
// supportChannelSecret, from the Secrets service, from secrets.json and from
// their WILD_WORKSPACE_* overrides) and anything
// shaped like an operator token (wwop_...; only its hash is on disk, so it is
// caught by shape) becomes "[redacted]".
#pragma once

#include <wildws/services.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wildws::support {

constexpr const char* kRedacted = "[redacted]";

class Redactor {
public:
    /// Values shorter than 8 characters are ignored: they cannot be secrets
    /// wildws made, and replacing them would mangle ordinary text.
    explicit Redactor(std::vector<std::string> secrets);
    /// The secrets this process can see: the Secrets service, the env
    /// overrides and every string in <home>/secrets.json.
    static Redactor fromServices(Services& services, const std::string& home);

    std::string apply(std::string_view text) const;
    std::size_t size() const { return secrets_.size(); }

private:
    std::vector<std::string> secrets_; // longest first, so a secret inside another is not half-replaced
};

} // namespace wildws::support
