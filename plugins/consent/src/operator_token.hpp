// operator.json: the operator (support engineer) token, only while enabled.
//
// {"version":1,"sha256":"<hex of SHA-256(token)>","createdAt":<ms>}, 0600,
// written atomically. Only the token's hash is stored: the token itself is
// printed once by `wildws operator enable` and exists nowhere else on this
// machine, so reading the file does not reveal it. Every check re-reads the
// file, so `wildws operator disable` is seen by the very next request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wildws::consent {

constexpr const char* kOperatorFileName = "operator.json";
constexpr const char* kOperatorTokenPrefix = "wwop_";

struct OperatorState {
    bool enabled = false;
    std::int64_t createdAt = 0;
    std::string fingerprint; // first 12 hex digits of SHA-256(SHA-256(token)): safe to show
    std::string offReason;   // why OFF when a file exists but is unusable
    std::string file;
};

class OperatorTokenStore {
public:
    explicit OperatorTokenStore(std::string path) : path_(std::move(path)) {}
    const std::string& path() const { return path_; }

    OperatorState status() const;
    /// Mints a new token (replacing any old one) and returns it. Throws std::system_error.
    std::string enable(std::int64_t nowMs) const;
    /// True when a token file was there. Throws std::system_error.
    bool disable() const;
    /// Constant-time; false when none is enabled or the file is unusable.
    bool matches(std::string_view token) const;

private:
    std::string path_;
};

} // namespace wildws::consent
