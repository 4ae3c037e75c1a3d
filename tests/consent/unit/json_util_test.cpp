#include "json_util.hpp"

#include <catch2/catch.hpp>

using namespace wildws::consent;

TEST_CASE("consent json: a repeated key is refused", "[consent][json]") {
    CHECK(parseObjectStrict(R"({"tier":1,"tier":4})").error == "key 'tier' appears twice");
    CHECK(parseObjectStrict(R"({"a":{"b":1,"b":2}})").error == "key 'b' appears twice");
    CHECK(parseObjectStrict(R"({"a":{"b":1},"c":{"b":2}})").error.empty());
    CHECK(parseObjectStrict(R"([1,2])").error == "not a JSON object");
    CHECK(parseObjectStrict(R"("x")").error == "not valid JSON"); // Poco refuses a bare scalar
    CHECK(parseObjectStrict(R"({"tier":1)").error == "not valid JSON");
    CHECK(parseObjectStrict("").error == "not valid JSON");
    CHECK(parseObjectStrict(std::string(100, '[')).error == "not valid JSON");
}

TEST_CASE("consent json: integers are only integer literals", "[consent][json]") {
    auto o = parseObjectStrict(
        R"({"i":3,"s":"3","f":3.0,"g":2.5,"b":true,"n":null,"big":9007199254740993,"neg":-4})");
    REQUIRE(o.object);
    CHECK(integerMember(*o.object, "i") == 3);
    CHECK(integerMember(*o.object, "big") == 9007199254740993LL);
    CHECK(integerMember(*o.object, "neg") == -4);
    CHECK_FALSE(integerMember(*o.object, "s"));
    CHECK_FALSE(integerMember(*o.object, "f"));
    CHECK_FALSE(integerMember(*o.object, "g"));
    CHECK_FALSE(integerMember(*o.object, "b"));
    CHECK_FALSE(integerMember(*o.object, "n"));
    // Past 64 bits: refused by the parser or not an integer, never wrapped.
    auto huge = parseObjectStrict(R"({"t":99999999999999999999})");
    CHECK((!huge.object || !integerMember(*huge.object, "t")));
    CHECK_FALSE(integerMember(*o.object, "missing"));
    CHECK(memberJson(*o.object, "s") == "\"3\"");
    CHECK(memberJson(*o.object, "g") == "2.5");
    CHECK(stringMember(*o.object, "s") == std::string("3"));
    CHECK_FALSE(stringMember(*o.object, "i"));
    CHECK(boolMember(*o.object, "b") == true);
    CHECK_FALSE(boolMember(*o.object, "i"));
}

TEST_CASE("consent json: strings survive a round trip on one line", "[consent][json]") {
    const std::string nasty = "a\nb\"c\\d}\n{\"ts\":1,\"forged\":true}\t\x01 \xE2\x80\xA8 caf\xC3\xA9";
    auto o = orderedObject();
    o->set("k", nasty);
    o->set("z", 1);
    o->set("a", 2);
    std::string text = toJson(o);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.rfind("{\"k\":", 0) == 0); // insertion order kept
    auto back = parseObjectStrict(text);
    REQUIRE(back.object);
    CHECK(stringMember(*back.object, "k") == nasty);
    CHECK(back.object->size() == 3);
}

TEST_CASE("consent json: invalid UTF-8 is replaced, cuts keep characters whole", "[consent][json]") {
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
