#include <wildws/secure.hpp>
#include <wildws/services/agent.hpp>

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

TEST_CASE("constantTimeEquals compares whole secrets of any length", "[unit][secure]") {
    CHECK(wildws::constantTimeEquals("abc", "abc"));
    CHECK_FALSE(wildws::constantTimeEquals("abc", "abd"));
    CHECK_FALSE(wildws::constantTimeEquals("abc", "abcd"));
    CHECK_FALSE(wildws::constantTimeEquals("abcd", "abc"));
    CHECK_FALSE(wildws::constantTimeEquals("", ""));
    CHECK_FALSE(wildws::constantTimeEquals("", "x"));
}

TEST_CASE("randomToken gives distinct url-safe tokens", "[unit][secure]") {
    auto a = wildws::randomToken(32), b = wildws::randomToken(32);
    CHECK(a != b);
    CHECK(a.size() == 43);
    CHECK(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
}

TEST_CASE("writeFileAtomic replaces a file whole with mode 0600 and leaves no temp file", "[unit][secure]") {
    wt::TempDir dir;
    auto path = dir / "state.json";
    wildws::writeFileAtomic(path, "{\"v\":1}");
    wildws::writeFileAtomic(path, "{\"v\":2}");
    CHECK(wt::readFile(path) == "{\"v\":2}");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(dir.path())) entries += e.is_regular_file() ? 1 : 0;
    CHECK(entries == 1);
}

TEST_CASE("writeFileAtomic names the path when it cannot write", "[unit][secure]") {
    try {
        wildws::writeFileAtomic("/nonexistent-dir/x.json", "{}");
        FAIL("expected a throw");
    } catch (const std::system_error& e) {
        CHECK(wt::contains(e.what(), "/nonexistent-dir/x.json"));
    }
}

TEST_CASE("a chunk serialises only its type's fields, as valid escaped JSON", "[unit][chunk]") {
    wildws::Chunk text;
    text.type = "text";
    text.text = "line \"one\"\nline <two>";
    CHECK(wildws::toJson(text) == R"({"type":"text","text":"line \"one\"\nline <two>"})");
    wildws::Chunk end;
    end.type = "end";
    end.code = 3;
    end.reason = "exit";
    CHECK(wildws::toJson(end) == R"({"type":"end","code":3,"reason":"exit"})");
    wildws::Chunk usage;
    usage.type = "usage";
    usage.costUsd = 0.25;
    usage.tokens = 1200;
    CHECK(wildws::toJson(usage) == R"({"type":"usage","cost":0.25,"tokens":1200,"durationMs":null})");
}
