#include "grant_watch.hpp"

namespace wildws::support {

std::optional<StopReason> GrantWatch::check(const GrantStatus& s, std::int64_t nowMs) {
    if (s.enabled && s.tier >= minTier_) {
        lastExpiresAt_ = s.expiresAt;
        return std::nullopt;
    }
    if (s.enabled)
        return StopReason{"tier-lowered", "support access was lowered to tier " + std::to_string(s.tier) +
                                              "; this needs tier " + std::to_string(minTier_)};
    if (s.offReason == "expired" || (lastExpiresAt_ > 0 && nowMs >= lastExpiresAt_))
        return StopReason{"expired", "the owner's support grant expired"};
    if (s.offReason.empty()) return StopReason{"revoked", "the owner revoked support access"};
    return StopReason{"grant-invalid", "the support grant is no longer valid (" + s.offReason + ")"};
}

} // namespace wildws::support
