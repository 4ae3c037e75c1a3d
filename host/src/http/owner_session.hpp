// How the owner logs into the page without typing a token:
//  - `wildws open` mints a one-time login code (a file under
//    <home>/login-codes/ named by the code's SHA-256, holding its expiry), and
//    prints http://127.0.0.1:P/login?code=...;
//  - GET /login consumes the code (an atomic rename, so it works once, even
//    across processes) and sets an HMAC-signed (shareSecret) session cookie:
//    HttpOnly, SameSite=Strict, Path=/.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace wildws::host {

inline constexpr const char* kSessionCookie = "wildws_session";
inline constexpr std::chrono::minutes kLoginCodeTtl{10};
inline constexpr std::chrono::hours kSessionTtl{24 * 7};

std::int64_t nowMs();

class LoginCodes {
public:
    explicit LoginCodes(std::string home);
    /// A fresh code, valid once for `ttl`.
    std::string mint(std::chrono::milliseconds ttl = kLoginCodeTtl);
    enum class Outcome { Ok, Unknown, AlreadyUsed, Expired };
    Outcome consume(const std::string& code);
    /// Removes codes that expired more than a day ago.
    void sweep();

private:
    std::string dir_;
};

std::string mintSessionCookie(const std::string& shareSecret, std::int64_t expiresAtMs);
bool verifySessionCookie(const std::string& value, const std::string& shareSecret, std::int64_t atMs);

/// The value of cookie `name` in a Cookie header, or "".
std::string cookieValue(const std::string& cookieHeader, const std::string& name);

} // namespace wildws::host
