// Moved from tests/consent/unit/json_util_test.cpp with the functions it
// tests (consent's json_util is now wildws-common's json and text modules).
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::common;

TEST_CASE("common json (from consent): a repeated key is refused", "[common][json]") {
    CHECK(json::parse(R"({"tier":1,"tier":4})").error == "key 'tier' appears twice");
    CHECK(json::parse(R"({"a":{"b":1,"b":2}})").error == "key 'b' appears twice");
    CHECK(json::parse(R"({"a":{"b":1},"c":{"b":2}})").error.empty());
    CHECK(json::parse(R"([1,2])").error == "not a JSON object");
    CHECK(json::parse(R"("x")").error == "not valid JSON"); // Poco refuses a bare scalar
    CHECK(json::parse(R"({"tier":1)").error == "not valid JSON");
    CHECK(json::parse("").error == "not valid JSON");
    CHECK(json::parse(std::string(100, '[')).error == "not valid JSON");
}

TEST_CASE("common json (from consent): integers are only integer literals", "[common][json]") {
    auto o = json::parse(
        R"({"i":3,"s":"3","f":3.0,"g":2.5,"b":true,"n":null,"big":9007199254740993,"neg":-4})");
    REQUIRE(o.object);
    CHECK(json::getInt(o.object, "i") == 3);
    CHECK(json::getInt(o.object, "big") == 9007199254740993LL);
    CHECK(json::getInt(o.object, "neg") == -4);
    CHECK_FALSE(json::getInt(o.object, "s"));
    CHECK_FALSE(json::getInt(o.object, "f"));
    CHECK_FALSE(json::getInt(o.object, "g"));
    CHECK_FALSE(json::getInt(o.object, "b"));
    CHECK_FALSE(json::getInt(o.object, "n"));
    // Past 64 bits: refused by the parser or not an integer, never wrapped.
    auto huge = json::parse(R"({"t":99999999999999999999})");
    CHECK((!huge.object || !json::getInt(huge.object, "t")));
    CHECK_FALSE(json::getInt(o.object, "missing"));
    CHECK(json::memberText(o.object, "s") == "\"3\"");
    CHECK(json::memberText(o.object, "g") == "2.5");
    CHECK(json::getString(o.object, "s") == std::string("3"));
    CHECK_FALSE(json::getString(o.object, "i"));
    CHECK(json::getBool(o.object, "b") == true);
    CHECK_FALSE(json::getBool(o.object, "i"));
}

TEST_CASE("common json (from consent): strings survive a round trip on one line", "[common][json]") {
    const std::string nasty = "a\nb\"c\\d}\n{\"ts\":1,\"forged\":true}\t\x01 \xE2\x80\xA8 caf\xC3\xA9";
    auto o = json::object();
    o->set("k", nasty);
    o->set("z", 1);
    o->set("a", 2);
    std::string text = json::toText(o);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.rfind("{\"k\":", 0) == 0); // insertion order kept
    auto back = json::parse(text);
    REQUIRE(back.object);
    CHECK(json::getString(back.object, "k") == nasty);
    CHECK(back.object->size() == 3);
}

TEST_CASE("common json (from consent): invalid UTF-8 is replaced, cuts keep characters whole", "[common][json]") {
    CHECK(sanitizeUtf8("ok") == "ok");
    CHECK(sanitizeUtf8("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(sanitizeUtf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(sanitizeUtf8("\xC3") == "\xEF\xBF\xBD");
    CHECK(sanitizeUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");             // overlong '/'
    CHECK(sanitizeUtf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
    CHECK(sanitizeUtf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
    CHECK(truncateUtf8("short", 10) == "short");
    CHECK(truncateUtf8("abcdefghij", 6) == "abc\xE2\x80\xA6");
    // "ééé" is 6 bytes; a cut at 5-3=2 bytes keeps one whole é.
    CHECK(truncateUtf8("\xC3\xA9\xC3\xA9\xC3\xA9", 5) == "\xC3\xA9\xE2\x80\xA6");
    CHECK(truncateUtf8("\xC3\xA9\xC3\xA9\xC3\xA9", 6) == "\xC3\xA9\xC3\xA9\xC3\xA9");
}
