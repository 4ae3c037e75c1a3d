// `wildws operator enable|disable|status`.
#include "cli_util.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <regex>

using namespace consent_cli;

TEST_CASE("consent cli: operator enable prints the token once, status never does", "[consent][cli]") {
    Home h(true);
    auto off = h.run({"operator", "status"});
    CHECK(off.code == 0);
    CHECK(off.out == "operator access: OFF (default).\n  enable : wildws operator enable\n  file   : " +
                         (h / "operator.json") + "\n");

    auto r = h.run({"operator", "enable"}, kT0);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    auto lines = wt::lines(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "\xE2\x9C\x93 operator access enabled. Give this token to wildws support; it is shown only now "
                      "(only its hash is kept):");
    std::smatch m;
    REQUIRE(std::regex_match(lines[1], m, std::regex("  (wwop_[A-Za-z0-9_-]{43})")));
    const std::string token = m[1];
    CHECK(lines[2] == "  It works only while support access is allowed (wildws support allow); disable anytime with: "
                      "wildws operator disable");

    CHECK_FALSE(wt::contains(wt::readFile(h / "operator.json"), token));
    CHECK_FALSE(wt::contains(wt::readFile(h / "operator.json"), token.substr(5)));
    auto st = h.run({"operator", "status"}, kT0);
    CHECK_FALSE(wt::contains(st.out, token));
    CHECK_FALSE(wt::contains(st.out, token.substr(5, 10)));
    REQUIRE(std::regex_search(st.out, std::regex("^operator access: ON \\(since 2026-01-01 00:00:00 UTC, token "
                                                 "fingerprint [0-9a-f]{12}\\)\\.\n")));
    CHECK_FALSE(wt::contains(h.run({"operator", "status", "--json"}).out, token));
    CHECK_FALSE(wt::contains(h.run({"support", "audit"}).out, token));
    CHECK_FALSE(wt::contains(wt::readFile(h.auditFile()), token.substr(5)));

    // The daemon's check, through the service.
    CHECK(h.run({"consent-probe", "token", "--token", token}).out == "match\n");
    CHECK(h.run({"consent-probe", "token", "--token", token + "x"}).out == "no match\n");

    auto d = h.run({"operator", "disable"});
    CHECK(d.code == 0);
    CHECK(d.out == "\xE2\x9C\x93 operator access disabled: the token no longer works.\n");
    CHECK(h.run({"consent-probe", "token", "--token", token}).out == "no match\n");
    CHECK(wt::lines(h.run({"operator", "status"}).out).at(0) == "operator access: OFF (default).");
    CHECK(h.run({"operator", "disable"}).out == "operator access was not enabled.\n");
}

TEST_CASE("consent cli: operator enable --json prints what the text says, in the status shape", "[consent][cli]") {
    Home h(true);
    auto r = h.run({"operator", "enable", "--json"}, kT0 + 1234);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(wt::lines(r.out).size() == 1);
    Poco::JSON::Parser p;
    auto o = p.parse(r.out).extract<Poco::JSON::Object::Ptr>();
    auto token = o->getValue<std::string>("token");
    CHECK(token.rfind("wwop_", 0) == 0);
    CHECK(h.run({"consent-probe", "token", "--token", token}).code == 0);
    // operator status --json, plus the token, whether it replaced one, and the
    // install id (null: the relay plugin is not loaded here).
    auto st = h.run({"operator", "status", "--json"});
    auto status = Poco::JSON::Parser().parse(st.out).extract<Poco::JSON::Object::Ptr>();
    const std::string fingerprint = status->getValue<std::string>("fingerprint");
    REQUIRE(fingerprint.size() == 12);
    CHECK(r.out == R"({"enabled":true,"createdAt":"2026-01-01T00:00:01.234Z","fingerprint":")" + fingerprint +
                       R"(","offReason":null,"file":")" + (h / "operator.json") + R"(","token":")" + token +
                       R"(","replaced":false,"installId":null})" + "\n");
    CHECK(wt::isoMs(o->getValue<std::string>("createdAt")) == kT0 + 1234);
    CHECK(st.out == R"({"enabled":true,"createdAt":"2026-01-01T00:00:01.234Z","fingerprint":")" + fingerprint +
                        R"(","offReason":null,"file":")" + (h / "operator.json") + R"("})" + "\n");

    // Enabling again replaces the token: the old one stops working.
    auto again = h.run({"operator", "enable"});
    CHECK(wt::lines(again.out).at(0) == "\xE2\x9C\x93 operator token replaced (the previous one no longer works). Give "
                                        "this token to wildws support; it is shown only now (only its hash is kept):");
    CHECK(h.run({"consent-probe", "token", "--token", token}).code == 3);
    auto third = Poco::JSON::Parser().parse(h.run({"operator", "enable", "--json"}).out).extract<Poco::JSON::Object::Ptr>();
    CHECK(third->getValue<bool>("replaced"));

    // Off: createdAt is null, never 0.
    REQUIRE(h.run({"operator", "disable"}).code == 0);
    CHECK(h.run({"operator", "status", "--json"}).out ==
          R"({"enabled":false,"createdAt":null,"fingerprint":"","offReason":null,"file":")" + (h / "operator.json") +
              R"("})" + "\n");
}

TEST_CASE("consent cli: a corrupt operator file is OFF and matches nothing", "[consent][cli]") {
    Home h(true);
    wt::writeFile(h / "operator.json", "{\"version\":1,\"sha256\":\"abc\"");
    auto st = h.run({"operator", "status"});
    CHECK(wt::lines(st.out).at(0) == "operator access: OFF \xE2\x80\x94 the token file is corrupt: not valid JSON.");
    CHECK(h.run({"consent-probe", "token", "--token", "abc"}).code == 3);
    CHECK(h.run({"operator", "disable"}).out == "\xE2\x9C\x93 operator access disabled: the token no longer works.\n");
}
