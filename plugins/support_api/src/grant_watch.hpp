// Decides, from successive Consent::status() readings, whether a running
// support task may go on, and if not, why, in words for the owner and the
// operator. A grant that disappears is "revoked" unless its time was up
// (another process may have noticed the expiry first and removed the file).
#pragma once

#include <wildws/services/consent.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::support {

struct StopReason {
    std::string code;    // revoked | expired | tier-lowered | grant-invalid
    std::string message; // one line
};

class GrantWatch {
public:
    explicit GrantWatch(int minTier) : minTier_(minTier) {}
    /// nullopt: the grant still allows the task.
    std::optional<StopReason> check(const GrantStatus& status, std::int64_t nowMs);

private:
    int minTier_;
    std::int64_t lastExpiresAt_ = 0;
};

} // namespace wildws::support
