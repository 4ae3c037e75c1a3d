#include "http/owner_session.hpp"

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

using namespace wildws::host;

TEST_CASE("session cookies verify only with the key and before expiry", "[unit][http]") {
    auto cookie = mintSessionCookie("key", 2000);
    CHECK(verifySessionCookie(cookie, "key", 1000));
    CHECK_FALSE(verifySessionCookie(cookie, "key", 2000));
    CHECK_FALSE(verifySessionCookie(cookie, "other", 1000));
    CHECK_FALSE(verifySessionCookie("v1.3000." + cookie.substr(cookie.rfind('.') + 1), "key", 1000));
    CHECK(cookieValue("a=1; wildws_session=abc; b=2", "wildws_session") == "abc");
    CHECK(cookieValue("xwildws_session=abc", "wildws_session").empty());
}

TEST_CASE("login codes are one-time and expire", "[unit][http]") {
    wt::TempDir home;
    LoginCodes codes(home.path());
    auto code = codes.mint();
    CHECK(codes.consume(code) == LoginCodes::Outcome::Ok);
    CHECK(codes.consume(code) == LoginCodes::Outcome::AlreadyUsed);
    CHECK(codes.consume("nope") == LoginCodes::Outcome::Unknown);
    auto old = codes.mint(std::chrono::milliseconds(-1));
    CHECK(codes.consume(old) == LoginCodes::Outcome::Expired);
}
