// What the host's sinks do to every log line's message.
#include "app/log_escape.hpp"
#include "app/log_sinks.hpp"

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>

#include <sys/stat.h>

using wildws::host::escapeForLog;
using wildws::host::needsLogEscape;

TEST_CASE("log escaping turns every control into visible text", "[unit][log-escape]") {
    CHECK(escapeForLog("GET /x\r\n2026-12-01T07:31:00.000Z [error] FORGED") ==
          "GET /x\\r\\n2026-12-01T07:31:00.000Z [error] FORGED");
    CHECK(escapeForLog("tab\there") == "tab\\there");
    CHECK(escapeForLog(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(escapeForLog("\x1b[31mred\x1b[0m") == "\\x1B[31mred\\x1B[0m");
    CHECK(escapeForLog("del\x7f") == "del\\x7F");
    CHECK(escapeForLog("c1 \xc2\x85 \xc2\x9b") == "c1 \\u0085 \\u009B");          // NEL, CSI
    CHECK(escapeForLog("bidi \xe2\x80\xae evil") == "bidi \\u202E evil");         // U+202E
    CHECK(escapeForLog("iso \xe2\x81\xa6 \xe2\x81\xa9") == "iso \\u2066 \\u2069"); // U+2066, U+2069
    CHECK(escapeForLog("arabic \xd8\x9c mark") == "arabic \\u061C mark");
    CHECK(escapeForLog("ls \xe2\x80\xa8 ps \xe2\x80\xa9") == "ls \\u2028 ps \\u2029");
    CHECK(escapeForLog("lrm \xe2\x80\x8e rlm \xe2\x80\x8f") == "lrm \\u200E rlm \\u200F");
}

TEST_CASE("log escaping keeps valid UTF-8 text and marks invalid bytes", "[unit][log-escape]") {
    const std::string text = "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80 plain";
    CHECK_FALSE(needsLogEscape(text));
    CHECK(escapeForLog(text) == text);
    CHECK(needsLogEscape("\xff"));
    CHECK(escapeForLog("bad \xff\xfe end") == "bad \\xFF\\xFE end");
    CHECK(escapeForLog("overlong \xc0\xaf") == "overlong \\xC0\\xAF");
    CHECK(escapeForLog("surrogate \xed\xa0\x80") == "surrogate \\xED\\xA0\\x80");
    CHECK(escapeForLog("cut \xe2\x9c") == "cut \\xE2\\x9C");
    CHECK_FALSE(needsLogEscape("just ascii [info] 200 /health"));
}

TEST_CASE("the file sink creates nothing until the first line, then one 0600 line per record", "[unit][log-escape]") {
    wt::TempDir home;
    std::vector<std::string> errors;
    auto file = std::make_shared<wildws::host::SafeFileSink>(home / "logs", "http", 1 << 20, 3,
                                                             [&](const std::string& e) { errors.push_back(e); });
    file->set_formatter(std::make_unique<spdlog::pattern_formatter>("[%l] %v"));
    auto sink = std::make_shared<wildws::host::EscapingSink>(file);
    spdlog::logger log("http", sink);
    struct stat st {};
    CHECK(::stat((home / "logs").c_str(), &st) != 0);
    log.info("GET {} 403", "/x\r\n[error] FORGED");
    log.flush();
    CHECK(wt::readFile(home / "logs/http.log") == "[info] GET /x\\r\\n[error] FORGED 403\n");
    REQUIRE(::stat((home / "logs/http.log").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((home / "logs").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(errors.empty());
}

TEST_CASE("the file sink rotates at its size and keeps the newest files", "[unit][log-escape]") {
    wt::TempDir home;
    auto file = std::make_shared<wildws::host::SafeFileSink>(home.path(), "x", 100, 2, nullptr);
    file->set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    spdlog::logger log("x", file);
    for (int i = 0; i < 10; ++i) log.info("{:039d}", i); // 40 bytes a line
    log.flush();
    CHECK(wt::lines(wt::readFile(home / "x.log")).size() == 2);
    CHECK(wt::lines(wt::readFile(home / "x.1.log")).size() == 2);
    CHECK(wt::lines(wt::readFile(home / "x.2.log")).size() == 2);
    CHECK(wt::readFile(home / "x.log").substr(0, 39) == "000000000000000000000000000000000000008");
    struct stat st {};
    CHECK(::stat((home / "x.3.log").c_str(), &st) != 0);
}
