// support-consent.json: the owner's time-boxed grant.
//
// {"version":1,"tier":3,"grantedAt":<ms>,"expiresAt":<ms>,"reason":"..."}
// written atomically (wildws::writeFileAtomic: temp file, fsync, rename,
// fsync dir) with mode 0600. A grant is LIVE only if every rule in
// evaluateGrant() holds; anything else is no grant (fail closed), with the
// reason. Nothing here caches: every check reads the file again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wildws::consent {

constexpr const char* kGrantFileName = "support-consent.json";
constexpr int kGrantVersion = 1;
constexpr std::size_t kMaxGrantFileBytes = 4096;

struct Grant {
    int tier = 0;
    std::int64_t grantedAt = 0; // ms since the epoch
    std::int64_t expiresAt = 0;
    std::string reason;
};

enum class GrantState {
    Missing, // no file: OFF (default)
    Live,
    Expired, // a well-formed grant whose time is up
    Invalid, // corrupt, tampered, unsafe: OFF, and `why` says why
};

struct GrantCheck {
    GrantState state = GrantState::Missing;
    Grant grant;       // meaningful for Live and Expired
    std::string why;   // Expired: "expired"; Invalid: "corrupt: ...", "invalid: ...", "unsafe: ...", "unreadable: ..."
    std::string raw;   // the file's bytes (to notice a change before acting on it)
};

/// The policy, on the file's text. `maxMinutes` is the configured maximum.
GrantCheck evaluateGrant(std::string_view content, std::int64_t nowMs, std::int64_t maxMinutes);

/// The file's text for a grant (one line of JSON plus "\n").
std::string serializeGrant(const Grant& grant);

class GrantStore {
public:
    explicit GrantStore(std::string path) : path_(std::move(path)) {}
    const std::string& path() const { return path_; }

    /// Reads and evaluates the file. Never throws: trouble is Invalid.
    GrantCheck read(std::int64_t nowMs, std::int64_t maxMinutes) const;
    /// Replaces the grant atomically (0600). Throws std::system_error.
    void write(const Grant& grant) const;
    /// Deletes the grant. True when a file was there. Throws std::system_error.
    bool remove() const;

private:
    std::string path_;
};

} // namespace wildws::consent
