// How the owner logs into the page without typing a token, and with nothing
// another server on 127.0.0.1 could ever receive (browsers do not scope
// cookies by port, so there is no cookie at all):
//  - `wildws open` mints a one-time login code (a file under
//    <home>/login-codes/ named by the code's SHA-256, holding its expiry), and
//    prints http://127.0.0.1:P/login?code=...;
//  - GET /login shows a page (the code is not used up by merely loading it,
//    e.g. by a link preview) whose script POSTs the code to /api/session;
//  - POST /api/session consumes the code (an atomic rename, so it works once,
//    even across processes) and answers a bearer session token, which the
//    page keeps in localStorage (scoped to the origin, port included) and
//    sends as Authorization: Bearer. The server keeps only the token's
//    SHA-256 (<home>/login-sessions/<sha256>, holding its expiry; <home>/sessions
//    is the agent plugin's);
//  - DELETE /api/session logs that token out.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace wildws::host {

inline constexpr std::chrono::minutes kLoginCodeTtl{10};
inline constexpr std::chrono::hours kSessionTtl{12};

std::int64_t nowMs();

/// The token of an "Authorization: Bearer <token>" header.
std::optional<std::string> bearerToken(const std::optional<std::string>& authorization);

class LoginCodes {
public:
    explicit LoginCodes(std::string home);
    /// A fresh code, valid once for `ttl`.
    std::string mint(std::chrono::milliseconds ttl = kLoginCodeTtl);
    enum class Outcome { Ok, Unknown, AlreadyUsed, Expired };
    /// What consume() would answer now, without using the code up.
    Outcome peek(const std::string& code) const;
    Outcome consume(const std::string& code);
    /// Removes codes that expired more than a day ago.
    void sweep();

private:
    std::string dir_;
};

class OwnerSessions {
public:
    explicit OwnerSessions(std::string home);
    struct Minted {
        std::string token;
        std::int64_t expiresAtMs;
    };
    Minted mint(std::chrono::milliseconds ttl = kSessionTtl);
    bool valid(const std::string& token) const;
    /// Logs the token out; false when it was not a live session.
    bool revoke(const std::string& token);
    /// Removes expired sessions.
    void sweep();

private:
    std::string dir_;
};

} // namespace wildws::host
