// Moved from tests/support_api/unit/text_test.cpp with the functions it
// tests (support_api's text_util is now wildws-common's text module).
#include <wildws/common/text.hpp>

#include <catch2/catch.hpp>

using namespace wildws::common;

TEST_CASE("common text (from support_api): invalid UTF-8 becomes U+FFFD and valid text is unchanged", "[common][text]") {
    CHECK(sanitizeUtf8("plain ascii") == "plain ascii");
    CHECK(sanitizeUtf8("caf\xC3\xA9 \xE2\x9A\x99 \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x9A\x99 \xF0\x9F\x98\x80");
    CHECK(sanitizeUtf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(sanitizeUtf8("\xC3") == "\xEF\xBF\xBD");                  // truncated sequence
    CHECK(sanitizeUtf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a UTF-16 surrogate
    CHECK(sanitizeUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
}

TEST_CASE("common text (from support_api): cuts never split a character", "[common][text]") {
    CHECK(cutChars("h\xC3\xA9llo", 2) == "h\xC3\xA9");
    CHECK(cutChars("abc", 10) == "abc");
    CHECK(cutUtf8("h\xC3\xA9llo", 2) == "h");
    CHECK(cutUtf8("h\xC3\xA9llo", 3) == "h\xC3\xA9");
    CHECK(trim("  \t x y \n") == "x y");
    CHECK(trim(" \n ").empty());
}
