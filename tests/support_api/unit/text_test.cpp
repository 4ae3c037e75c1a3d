#include "text_util.hpp"

#include <catch2/catch.hpp>

using namespace wildws::support;

TEST_CASE("support text: invalid UTF-8 becomes U+FFFD and valid text is unchanged", "[support_api][unit]") {
    CHECK(sanitizeUtf8("plain ascii") == "plain ascii");
    CHECK(sanitizeUtf8("caf\xC3\xA9 \xE2\x9A\x99 \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x9A\x99 \xF0\x9F\x98\x80");
    CHECK(sanitizeUtf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(sanitizeUtf8("\xC3") == "\xEF\xBF\xBD");                  // truncated sequence
    CHECK(sanitizeUtf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a UTF-16 surrogate
    CHECK(sanitizeUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
}

TEST_CASE("support text: cuts never split a character", "[support_api][unit]") {
    CHECK(cutChars("h\xC3\xA9llo", 2) == "h\xC3\xA9");
    CHECK(cutChars("abc", 10) == "abc");
    CHECK(cutBytes("h\xC3\xA9llo", 2) == "h");
    CHECK(cutBytes("h\xC3\xA9llo", 3) == "h\xC3\xA9");
    CHECK(trim("  \t x y \n") == "x y");
    CHECK(trim(" \n ").empty());
}
