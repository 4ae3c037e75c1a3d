#include "log_files.hpp"
#include "redactor.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

using namespace wildws::support;

TEST_CASE("support redactor: every secret value and operator-shaped token becomes [redacted]", "[support_api][unit]") {
    const std::string a = "AAAAbbbbCCCCdddd1234567890_-xyzXYZ0000000", b = "short", c = "ccccccccccccccccccccc";
    Redactor r({a, b, c, ""});
    CHECK(r.size() == 2); // "short" and "" cannot be wildws secrets
    CHECK(r.apply("token=" + a + " and " + a + ", " + c + ".") == "token=[redacted] and [redacted], [redacted].");
    CHECK(r.apply("short stays") == "short stays");
    CHECK(r.apply("op wwop_0veQ-w3QjJZ1lxPnaN-fkDmxvwl5cqHL-ccc4ScCk4w done") == "op [redacted] done");
    CHECK(r.apply("wwop_ is a prefix, wwop_short too") == "wwop_ is a prefix, wwop_short too");
    // A secret that contains another is replaced whole.
    Redactor nested({"0123456789", "xx0123456789yy"});
    CHECK(nested.apply("[xx0123456789yy]") == "[[redacted]]");
}

TEST_CASE("support logs: a channel is only an existing regular log file's name", "[support_api][unit]") {
    wt::TempDir tmp;
    const std::string logs = tmp / "logs";
    ::mkdir(logs.c_str(), 0700);
    wt::writeFile(logs + "/wildws.log", "a\n");
    wt::writeFile(logs + "/wildws.1.log", "old\n");
    wt::writeFile(tmp / "secrets.json", "{}");
    REQUIRE(::symlink((tmp / "secrets.json").c_str(), (logs + "/planted.log").c_str()) == 0);
    CHECK(logChannels(logs) == std::vector<std::string>{"wildws", "wildws.1"});
    CHECK_FALSE(checkChannel(logs, "wildws"));
    CHECK_FALSE(checkChannel(logs, "wildws.1"));
    for (auto bad : {"../secrets.json", "../secrets", "/etc/passwd", "", "planted", "wildws.log", ".", "..", "logs/wildws"}) {
        auto why = checkChannel(logs, bad);
        REQUIRE(why);
        CHECK(wt::contains(*why, "channel must be the name of an existing log (wildws, wildws.1)"));
    }
}

TEST_CASE("support logs: the tail is read from the end and bounded", "[support_api][unit]") {
    wt::TempDir tmp;
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "line " + std::to_string(i) + "\n";
    wt::writeFile(tmp / "big.log", text);
    auto t = tailFile(tmp / "big.log", 3);
    CHECK(t.lines == std::vector<std::string>{"line 99997", "line 99998", "line 99999"});
    CHECK_FALSE(t.truncated);
    auto capped = tailFile(tmp / "big.log", 1000, 100);
    CHECK(capped.truncated);
    CHECK(capped.lines.size() < 20);
    CHECK(capped.lines.back() == "line 99999");
    wt::writeFile(tmp / "small.log", "one\ntwo\npartial");
    CHECK(tailFile(tmp / "small.log", 10).lines == std::vector<std::string>{"one", "two", "partial"});
    CHECK(tailFile(tmp / "missing.log", 10).lines.empty());
}

TEST_CASE("support logs: recent errors come from current logs, newest first", "[support_api][unit]") {
    wt::TempDir tmp;
    const std::string logs = tmp / "logs";
    ::mkdir(logs.c_str(), 0700);
    wt::writeFile(logs + "/wildws.log",
                  "2026-01-01T00:00:01.000Z [error] [wildws] first\n2026-01-01T00:00:02.000Z [info] [wildws] ok\n");
    wt::writeFile(logs + "/agent.log", "2026-01-01T00:00:03.000Z [critical] [agent] worst\n");
    wt::writeFile(logs + "/agent.1.log", "2026-01-01T00:00:04.000Z [error] [agent] rotated away\n");
    auto e = recentErrors(logs, 5, 20);
    REQUIRE(e.size() == 2);
    CHECK(e[0].channel == "agent");
    CHECK(wt::contains(e[0].line, "worst"));
    CHECK(wt::contains(e[1].line, "first"));
}
