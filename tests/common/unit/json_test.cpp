// wildws::common::json: strict parsing (duplicates, types, depth), typed
// getters, ordered objects, compact text.
#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace json = wildws::common::json;
namespace common = wildws::common;

TEST_CASE("common json: a strict parse refuses what is not one clean object, with one reason", "[common][json]") {
    CHECK(json::parse("{\"a\":1}"));
    CHECK(json::parse("").error == "not valid JSON");
    CHECK(json::parse("{\"a\":").error == "not valid JSON");
    CHECK(json::parse("[1,2]").error == "not a JSON object");
    CHECK_FALSE(json::parse("\"text\""));
    CHECK(json::parse("{\"tier\":1,\"tier\":4}").error == "key 'tier' appears twice");
    CHECK(json::parse("{\"a\":{\"x\":1,\"x\":2}}").error == "key 'x' appears twice"); // at any depth
    CHECK(json::parse("{\"a\":{\"x\":1},\"b\":{\"x\":2}}"));                      // the same key in two objects is fine
    json::ParseOptions lax;
    lax.rejectDuplicateKeys = false;
    auto last = json::parse("{\"tier\":1,\"tier\":4}", lax);
    REQUIRE(last);
    CHECK(json::getInt(last.object, "tier") == 4);
    CHECK_FALSE(json::parseObject("{\"a\":1,\"a\":2}"));
}

TEST_CASE("common json: nesting deeper than the limit is refused", "[common][json]") {
    std::string deep(70, '[');
    deep = "{\"a\":" + deep + std::string(70, ']') + "}";
    CHECK(json::parse(deep).error == "not valid JSON");
    json::ParseOptions unlimited;
    unlimited.maxDepth = -1;
    CHECK(json::parse(deep, unlimited));
}

TEST_CASE("common json: typed getters never convert between types", "[common][json]") {
    auto o = json::parseObject(R"({"s":"3","i":3,"neg":-4,"f":2.5,"e":1e3,"b":true,"n":null,"o":{"k":"v"},"a":[1],
                                  "big":18446744073709551615,"max":9223372036854775807})");
    REQUIRE(o);
    CHECK(json::getString(o, "s") == "3");
    CHECK_FALSE(json::getString(o, "i"));
    CHECK(json::getInt(o, "i") == 3);
    CHECK(json::getInt(o, "neg") == -4);
    CHECK(json::getInt(o, "max") == INT64_MAX);
    CHECK_FALSE(json::getInt(o, "s"));   // "3" is not 3
    CHECK_FALSE(json::getInt(o, "b"));   // true is not 1
    CHECK_FALSE(json::getInt(o, "f"));   // 2.5 is not an integer
    CHECK_FALSE(json::getInt(o, "big")); // past int64
    CHECK_FALSE(json::getInt(o, "missing"));
    CHECK(json::getNumber(o, "f") == 2.5);
    CHECK(json::getNumber(o, "i") == 3.0);
    CHECK(json::getNumber(o, "e") == 1000.0);
    CHECK_FALSE(json::getNumber(o, "s"));
    CHECK_FALSE(json::getNumber(o, "b"));
    CHECK(json::getBool(o, "b") == true);
    CHECK_FALSE(json::getBool(o, "i"));
    CHECK(json::getObject(o, "o"));
    CHECK(json::getString(json::getObject(o, "o"), "k") == "v");
    CHECK_FALSE(json::getObject(o, "a"));
    CHECK(json::getArray(o, "a"));
    CHECK_FALSE(json::getArray(o, "o"));
    CHECK(json::isNull(o, "n"));
    CHECK(json::isNull(o, "missing"));
    CHECK_FALSE(json::isNull(o, "i"));
    CHECK(json::memberText(o, "s") == "\"3\"");
    CHECK(json::memberText(o, "f") == "2.5");
    CHECK(json::memberText(o, "n") == "null");
    CHECK(json::memberText(o, "missing").empty());
    json::Object none;
    CHECK_FALSE(json::getString(none, "s"));
    CHECK(json::isNull(none, "s"));
}

TEST_CASE("common json: objects keep insertion order and print compactly", "[common][json]") {
    auto o = json::object();
    o->set("zeta", 1);
    o->set("alpha", "two\n\"quoted\"");
    auto a = json::array();
    a->add(true);
    o->set("list", a);
    json::setTimeOrNull(o, "at", 0);
    json::setTimeOrNull(o, "seen", 1700000000123);
    json::setTimeOrNull(o, "before", -5);
    CHECK(json::toText(o) ==
          R"({"zeta":1,"alpha":"two\n\"quoted\"","list":[true],"at":null,"seen":"2023-11-14T22:13:20.123Z","before":null})");
    CHECK(common::parseIsoUtc(*json::getString(o, "seen")) == 1700000000123);
    Poco::JSON::Object plain;
    json::setTimeOrNull(plain, "t", 1);
    CHECK(plain.getValue<std::string>("t") == "1970-01-01T00:00:00.001Z");
    CHECK(json::toText(json::timeOrNull(1)) == "\"1970-01-01T00:00:00.001Z\"");
    CHECK(json::toText(a) == "[true]");
    CHECK(json::toText(json::Object()) == "null");
    CHECK(json::toText(Poco::Dynamic::Var()) == "null");
    CHECK(json::toText(Poco::Dynamic::Var(std::string("x"))) == "\"x\"");
    auto back = json::parseObject(json::toText(o));
    REQUIRE(back);
    CHECK(json::toText(back) == json::toText(o)); // parsed objects keep the text's order
    json::ParseOptions sorted;
    sorted.keepKeyOrder = false;
    CHECK(json::toText(json::parseObject(R"({"b":1,"a":2})", sorted)) == R"({"a":2,"b":1})");
}

TEST_CASE("common json: looksLikeObject is the cheap filter for agent lines", "[common][json]") {
    CHECK(json::looksLikeObject("{\"type\":1}"));
    CHECK(json::looksLikeObject(" \t\r{"));
    CHECK_FALSE(json::looksLikeObject("warning: {"));
    CHECK_FALSE(json::looksLikeObject(""));
    CHECK_FALSE(json::looksLikeObject("[1]"));
}

TEST_CASE("common json: loose options read another program's output the way Poco does", "[common][json]") {
    auto o = json::parseObject(R"({"b":1,"a":{"x":1,"x":2}})", json::ParseOptions::loose());
    REQUIRE(o);
    CHECK(json::toText(o) == R"({"a":{"x":2},"b":1})"); // the last copy wins, keys sorted
    std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
    CHECK(json::parseObject(deep, json::ParseOptions::loose()));
    CHECK_FALSE(json::parseObject("not json", json::ParseOptions::loose()));
}
