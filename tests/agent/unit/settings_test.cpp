// [plugin.agent] settings: defaults, argument lists, and errors that name the key.
#include "support.hpp"

#include "settings.hpp"

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::agent;

TEST_CASE("settings have sane defaults", "[settings]") {
    auto s = readSettings(at::MapConfig{});
    CHECK(s.stall == std::chrono::seconds(300));
    CHECK(s.total == std::chrono::seconds(3600));
    CHECK(s.maxSessions == 4);
    CHECK(s.claudeBuildPermissionMode.empty()); // default live, acceptEdits one-shot
    CHECK(s.claudeInteractive);
    CHECK(s.idle == std::chrono::seconds(600));
    CHECK(s.handshake == std::chrono::seconds(60));
    CHECK(s.permissionTimeout == std::chrono::seconds(0));
    CHECK(s.commandArgv.empty());
    CHECK(s.persist);
}

TEST_CASE("argument lists are JSON arrays or words", "[settings]") {
    auto s = readSettings(at::MapConfig{{{"command", R"(["/usr/bin/aider", "--message", "{prompt}", "a b"])"},
                                         {"claude_args", "--model sonnet --max-turns 5"},
                                         {"stall_seconds", "12"}}});
    CHECK(s.commandArgv == std::vector<std::string>{"/usr/bin/aider", "--message", "{prompt}", "a b"});
    CHECK(s.claudeArgs == std::vector<std::string>{"--model", "sonnet", "--max-turns", "5"});
    CHECK(s.stall == std::chrono::seconds(12));
}

TEST_CASE("bad values fail with the key and value named", "[settings]") {
    CHECK_THROWS_WITH(readSettings(at::MapConfig{{{"command", "[\"/x\", 3]"}}}), Catch::Contains("command"));
    CHECK_THROWS_WITH(readSettings(at::MapConfig{{{"command", "[\"/x\""}}}), Catch::Contains("JSON array"));
    CHECK_THROWS_WITH(readSettings(at::MapConfig{{{"stall_seconds", "0"}}}), Catch::Contains("stall_seconds"));
    CHECK_THROWS_WITH(readSettings(at::MapConfig{{{"max_sessions", "lots"}}}), Catch::Contains("max_sessions"));
    CHECK_THROWS_WITH(readSettings(at::MapConfig{{{"claude_build_permission_mode", "yolo"}}}),
                      Catch::Contains("claude_build_permission_mode"));
    CHECK_THROWS_WITH(readSettings(at::MapConfig{{{"cwd", "relative"}}}), Catch::Contains("absolute"));
}
