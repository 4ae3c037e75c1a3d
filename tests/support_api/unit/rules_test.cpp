#include "allow_request.hpp"
#include "grant_watch.hpp"
#include "owner_routes.hpp"

#include <catch2/catch.hpp>

using namespace wildws::support;

namespace {
wildws::GrantStatus grant(bool enabled, int tier, std::int64_t expiresAt, std::string off = {}) {
    wildws::GrantStatus s;
    s.enabled = enabled;
    s.tier = tier;
    s.expiresAt = expiresAt;
    s.offReason = std::move(off);
    return s;
}
} // namespace

TEST_CASE("support grant watch: revoked, expired, lowered, invalid", "[support_api][unit]") {
    GrantWatch w(3);
    CHECK_FALSE(w.check(grant(true, 3, 10000), 1000));
    CHECK_FALSE(w.check(grant(true, 4, 10000), 1000));
    CHECK(w.check(grant(true, 2, 10000), 1000)->code == "tier-lowered");
    CHECK(w.check(grant(false, 0, 0), 2000)->code == "revoked");
    // The file is gone but its time was up: another process saw it expire first.
    CHECK(w.check(grant(false, 0, 0), 10000)->code == "expired");
    CHECK(w.check(grant(false, 3, 10000, "expired"), 10000)->code == "expired");
    auto invalid = w.check(grant(false, 0, 0, "corrupt: not valid JSON"), 3000);
    CHECK(invalid->code == "grant-invalid");
    CHECK(invalid->message == "the support grant is no longer valid (corrupt: not valid JSON)");
    CHECK(GrantWatch(3).check(grant(false, 0, 0), 1)->message == "the owner revoked support access");
}

TEST_CASE("support allow body: read like the CLI's options", "[support_api][unit]") {
    auto read = [](const std::string& json) { return readAllowRequest(wildws::common::json::parseObject(json)); };
    auto d = read("{}");
    CHECK(d.request.tier == 1);
    CHECK(d.request.minutes == 60);
    CHECK_FALSE(d.request.confirmed);
    CHECK(d.request.actor == "owner");
    CHECK(read(R"({"tier":3,"minutes":5,"confirm":true,"reason":"help"})").request.tier == 3);
    CHECK(read(R"({"tier":5})").request.tier == 0);
    CHECK(read(R"({"tier":2.5})").request.tier == 0);
    CHECK(read(R"({"minutes":-1})").request.minutes == -1);
    CHECK(read(R"({"minutes":1.5})").request.minutes == 0);
    CHECK(read(R"({"minutes":1e+23})").request.minutes == 1000000000); // what the page sends for a huge number
    CHECK(read(R"({"minutes":9223372036854775807})").request.minutes == 1000000000); // saturates, then capped
    CHECK(read(R"({"reason":""})").request.reason.empty());
    CHECK_FALSE(read(R"({"tier":3,"minutes":5,"confirm":true,"reason":"x"})").error);
    // A value of the wrong JSON type is refused naming the field, never converted.
    struct Bad {
        const char* body;
        const char* code;
        const char* message;
    };
    for (const Bad& b : {
             Bad{R"({"tier":"3"})", "bad-tier", "tier must be a JSON number from 1 to 4 (got a string)"},
             Bad{R"({"tier":true})", "bad-tier", "tier must be a JSON number from 1 to 4 (got true or false)"},
             Bad{R"({"tier":null})", "bad-tier", "tier must be a JSON number from 1 to 4 (got null)"},
             Bad{R"({"minutes":"90"})", "bad-minutes", "minutes must be a JSON number (whole minutes) (got a string)"},
             Bad{R"({"minutes":[1]})", "bad-minutes", "minutes must be a JSON number (whole minutes) (got an array)"},
             Bad{R"({"reason":7})", "bad-reason", "reason must be a string (got a number)"},
             Bad{R"({"reason":{}})", "bad-reason", "reason must be a string (got an object)"},
             Bad{R"({"confirm":"yes"})", "bad-confirm", "confirm must be true or false (got a string)"},
             Bad{R"({"confirm":1})", "bad-confirm", "confirm must be true or false (got a number)"},
         }) {
        INFO(b.body);
        auto r = read(b.body);
        REQUIRE(r.error);
        CHECK(r.error->code == b.code);
        CHECK(r.error->message == b.message);
    }
    CHECK(confirmMessage(3, "operate") ==
          "tier 3 lets wildws support operate the agent on your machine (time-boxed, audited, revocable): operate. "
          "Confirm to allow it (send \"confirm\": true).");
    CHECK(confirmMessage(4, "x").find("run shell commands on") != std::string::npos);
}

TEST_CASE("support audit limit: clamped to 1..200, default 50", "[support_api][unit]") {
    CHECK(auditLimit(std::nullopt) == 50);
    CHECK(auditLimit(std::string("")) == 50);
    CHECK(auditLimit(std::string("abc")) == 50);
    CHECK(auditLimit(std::string("0")) == 50);
    CHECK(auditLimit(std::string("7")) == 7);
    CHECK(auditLimit(std::string("-3")) == 1);
    CHECK(auditLimit(std::string("1000")) == 200);
    CHECK(auditLimit(std::string("2.5")) == 2);
}
