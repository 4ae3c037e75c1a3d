// The logic behind rename/search and the `@` file suggestions.
#include "conversation_admin.hpp"
#include "workdir_files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

using namespace wildws::agent;

TEST_CASE("checkTitle trims and refuses blank, long, multi-line and non-UTF-8 titles", "[admin]") {
    std::string why;
    CHECK(checkTitle("  Summary  ", why) == std::optional<std::string>("Summary"));
    CHECK(checkTitle(std::string(200, 'x'), why));
    CHECK_FALSE(checkTitle(std::string(201, 'x'), why));
    CHECK(why == "the title is longer than 200 bytes");
    CHECK_FALSE(checkTitle(" \t ", why));
    CHECK(why == "the title is empty");
    CHECK_FALSE(checkTitle("a\nb", why));
    CHECK(why == "the title must be one line without control characters");
    CHECK_FALSE(checkTitle("a\x7f", why));
    CHECK_FALSE(checkTitle("bad \xff byte", why));
    CHECK(why == "the title is not valid UTF-8");
    CHECK(checkTitle("Zürich – ok", why));
}

TEST_CASE("fuzzyScore: a subsequence matches, the file name and contiguous runs rank first", "[admin][files]") {
    CHECK(fuzzyScore("src/main.cpp", "xyz") == -1);
    CHECK(fuzzyScore("src/main.cpp", "smc") > 0);
    CHECK(fuzzyScore("src/main.cpp", "MAIN") > 0); // case-insensitive
    CHECK(fuzzyScore("src/main.cpp", "main") > fuzzyScore("main/src/other.cpp", "main"));
    CHECK(fuzzyScore("a/readme.md", "readme") > fuzzyScore("a/very/long/path/readme.md", "readme"));
}

TEST_CASE("insideDir refuses .., absolute paths, .git and symlinks that leave the directory", "[admin][files]") {
    char tmpl[] = "/tmp/wildws-admin-XXXXXX";
    std::string root = ::mkdtemp(tmpl);
    std::string dir = root + "/dir";
    ::mkdir(dir.c_str(), 0700);
    std::ofstream(dir + "/a.txt") << "a";
    std::ofstream(root + "/outside.txt") << "o";
    REQUIRE(::symlink("../outside.txt", (dir + "/out-link").c_str()) == 0);
    REQUIRE(::symlink("a.txt", (dir + "/in-link").c_str()) == 0);
    CHECK(insideDir(dir, "a.txt"));
    CHECK(insideDir(dir, "in-link"));
    CHECK_FALSE(insideDir(dir, "out-link"));
    CHECK_FALSE(insideDir(dir, "../outside.txt"));
    CHECK_FALSE(insideDir(dir, "/etc/passwd"));
    CHECK_FALSE(insideDir(dir, "./a.txt"));
    CHECK_FALSE(insideDir(dir, ".git/config"));
    CHECK_FALSE(insideDir(dir, "missing.txt"));
    CHECK(suggestFiles(dir, {"out-link", "a.txt", "in-link", "../outside.txt"}, "") == std::vector<std::string>{"a.txt", "in-link"});
    std::system(("rm -rf '" + root + "'").c_str());
}
