// wildws::common text: UTF-8 validation and repair, cuts on character
// boundaries, and the one escaping for logs and reasons.
#include <wildws/common/text.hpp>

#include <catch2/catch.hpp>

#include <Poco/Exception.h>

#include <stdexcept>

namespace c = wildws::common;

TEST_CASE("common text: bad UTF-8 is detected and every bad byte becomes U+FFFD", "[common][text]") {
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(c::isValidUtf8("plain ascii"));
    CHECK(c::isValidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    CHECK_FALSE(c::isValidUtf8("\xC3"));             // cut short
    CHECK_FALSE(c::isValidUtf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(c::isValidUtf8("\xE0\x80\xAF"));     // overlong, 3 bytes
    CHECK_FALSE(c::isValidUtf8("\xED\xA0\x80"));     // a UTF-16 surrogate
    CHECK_FALSE(c::isValidUtf8("\xF4\x90\x80\x80")); // past U+10FFFF
    CHECK_FALSE(c::isValidUtf8("\xFF"));
    CHECK(c::sanitizeUtf8("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(c::sanitizeUtf8("a\xFF" "b") == "a" + fffd + "b");
    CHECK(c::sanitizeUtf8("\xC0\xAF") == fffd + fffd);
    CHECK(c::sanitizeUtf8("\xED\xA0\x80") == fffd + fffd + fffd);
    CHECK(c::sanitizeUtf8("end\xE2\x82") == "end" + fffd + fffd);
    CHECK(c::isValidUtf8(c::sanitizeUtf8("\x80\x81\xFE mixed \xF0\x9F")));
}

TEST_CASE("common text: cuts never split a character", "[common][text]") {
    const std::string e = "\xC3\xA9"; // é, 2 bytes
    const std::string s = "ab" + e + e;
    CHECK(c::cutUtf8(s, 100) == s);
    CHECK(c::cutUtf8(s, 3) == "ab");
    CHECK(c::cutUtf8(s, 4) == "ab" + e);
    CHECK(c::cutUtf8(s, 0).empty());
    // truncate: the ellipsis fits within the budget
    CHECK(c::truncateUtf8(s, 6) == s);
    CHECK(c::truncateUtf8(s, 5) == "ab\xE2\x80\xA6");
    CHECK(c::truncateUtf8(s, 5).size() <= 5);
    CHECK(c::truncateUtf8("abcdef", 2) == "\xE2\x80\xA6");
    // shorten: a preview of that many bytes, the ellipsis after it
    CHECK(c::shortenUtf8(s, 3) == "ab\xE2\x80\xA6");
    CHECK(c::shortenUtf8(s, 4) == "ab" + e + "\xE2\x80\xA6");
    CHECK(c::shortenUtf8(s, 6) == s);
    CHECK(c::cutChars(s, 3) == "ab" + e);
    CHECK(c::cutChars(s, 10) == s);
    CHECK(c::cutChars("\xF0\x9F\x98\x80x", 1) == "\xF0\x9F\x98\x80");
}

TEST_CASE("common text: trim and describe", "[common][text]") {
    CHECK(c::trim(" \t a b \r\n") == "a b");
    CHECK(c::trim("   ").empty());
    CHECK(c::describe(std::runtime_error("plain")) == "plain");
    CHECK(c::describe(Poco::FileNotFoundException("/x")) == "File not found: /x");
}

TEST_CASE("common text: printable escapes every control, C1 and bidi character and bad bytes", "[common][text]") {
    CHECK(c::printable("plain text, caf\xC3\xA9") == "plain text, caf\xC3\xA9");
    CHECK(c::printable("a\nb\rc\td") == "a\\nb\\rc\\td");
    CHECK(c::printable("\x1b[31mred") == "\\u001b[31mred"); // ESC cannot start a sequence
    CHECK(c::printable(std::string("nul\0", 4)) == "nul\\u0000");
    CHECK(c::printable("del\x7f") == "del\\u007f");
    CHECK(c::printable("c1\xC2\x9B" "2J") == "c1\\u009b2J");          // CSI as a C1 control
    CHECK(c::printable("\xE2\x80\xAE" "evil") == "\\u202eevil");       // RIGHT-TO-LEFT OVERRIDE
    CHECK(c::printable("\xE2\x81\xA6x\xE2\x81\xA9") == "\\u2066x\\u2069"); // isolates
    CHECK(c::printable("\xE2\x80\x8F\xD8\x9C") == "\\u200f\\u061c");
    CHECK(c::printable("line\xE2\x80\xA8sep") == "line\\u2028sep");
    CHECK(c::printable("bad\xFF") == "bad\\xff");
    CHECK(c::printable("back\\slash") == "back\\slash");
}
