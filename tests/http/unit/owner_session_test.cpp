#include "http/owner_session.hpp"

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

#include <filesystem>

using namespace wildws::host;

TEST_CASE("login codes are one-time and expire, and a peek does not use them up", "[unit][http]") {
    wt::TempDir home;
    LoginCodes codes(home.path());
    auto code = codes.mint();
    CHECK(codes.peek(code) == LoginCodes::Outcome::Ok);
    CHECK(codes.peek(code) == LoginCodes::Outcome::Ok);
    CHECK(codes.consume(code) == LoginCodes::Outcome::Ok);
    CHECK(codes.peek(code) == LoginCodes::Outcome::AlreadyUsed);
    CHECK(codes.consume(code) == LoginCodes::Outcome::AlreadyUsed);
    CHECK(codes.consume("nope") == LoginCodes::Outcome::Unknown);
    CHECK(codes.peek("") == LoginCodes::Outcome::Unknown);
    CHECK(codes.peek(std::string(200, 'a')) == LoginCodes::Outcome::Unknown);
    auto old = codes.mint(std::chrono::milliseconds(-1));
    CHECK(codes.peek(old) == LoginCodes::Outcome::Expired);
    CHECK(codes.consume(old) == LoginCodes::Outcome::Expired);
}

TEST_CASE("owner sessions are valid until they expire or are revoked, and only their hash is kept", "[unit][http]") {
    wt::TempDir home;
    OwnerSessions sessions(home.path());
    auto s = sessions.mint();
    CHECK(s.token.size() >= 32);
    CHECK(s.expiresAtMs > nowMs() + 11LL * 3600 * 1000);
    CHECK(s.expiresAtMs <= nowMs() + 12LL * 3600 * 1000);
    CHECK(sessions.valid(s.token));
    CHECK_FALSE(sessions.valid(s.token + "x"));
    CHECK_FALSE(sessions.valid(""));
    for (auto& e : std::filesystem::directory_iterator(home / "login-sessions"))
        CHECK(wt::readFile(e.path().string()).find(s.token) == std::string::npos);
    CHECK((std::filesystem::status(home / "login-sessions").permissions() & std::filesystem::perms::all) ==
          std::filesystem::perms::owner_all);
    CHECK(sessions.revoke(s.token));
    CHECK_FALSE(sessions.valid(s.token));
    CHECK_FALSE(sessions.revoke(s.token));
    auto old = sessions.mint(std::chrono::milliseconds(-1));
    CHECK_FALSE(sessions.valid(old.token));
    sessions.sweep();
    CHECK(std::filesystem::is_empty(home / "login-sessions"));
}

TEST_CASE("bearer tokens are read from the Authorization header only in the Bearer scheme", "[unit][http]") {
    CHECK(bearerToken(std::string("Bearer abc")) == std::optional<std::string>("abc"));
    CHECK(bearerToken(std::string("bearer  abc")) == std::optional<std::string>("abc"));
    CHECK_FALSE(bearerToken(std::string("Basic abc")).has_value());
    CHECK_FALSE(bearerToken(std::nullopt).has_value());
    CHECK_FALSE(bearerToken(std::string("Bearer")).has_value());
}
