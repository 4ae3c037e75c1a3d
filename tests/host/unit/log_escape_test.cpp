// What the host's sinks do to every log line's message.
#include "app/log_sinks.hpp"

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>

#include <sys/stat.h>

namespace {

// What a line with `message` looks like once it went through the host's sinks.
std::string logged(const std::string& message) {
    wt::TempDir home;
    auto file = std::make_shared<wildws::host::SafeFileSink>(home.path(), "t", 1 << 20, 1, nullptr);
    file->set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    spdlog::logger log("t", std::make_shared<wildws::host::EscapingSink>(file));
    log.info("{}", message);
    return wt::readFile(home / "t.log");
}

} // namespace

TEST_CASE("every log line escapes controls, separators, bidi and invalid UTF-8", "[unit][log-escape]") {
    CHECK(logged("GET /x\r\n2026-12-01T07:31:00.000Z [error] FORGED") ==
          "GET /x\\r\\n2026-12-01T07:31:00.000Z [error] FORGED\n");
    CHECK(logged("\x1b[31mred\x1b[0m del\x7f") == "\\u001b[31mred\\u001b[0m del\\u007f\n");
    CHECK(logged("c1 \xc2\x85 bidi \xe2\x80\xae ls \xe2\x80\xa8") == "c1 \\u0085 bidi \\u202e ls \\u2028\n");
    CHECK(logged("bad \xff end") == "bad \\xff end\n");
    const std::string utf8 = "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80 plain";
    CHECK(logged(utf8) == utf8 + "\n");
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
