#include "operate_state.hpp"

#include <catch2/catch.hpp>

using namespace wildws::support;

namespace {
wildws::Chunk chunk(const std::string& type, const std::string& value) {
    wildws::Chunk c;
    c.type = type;
    c.text = value;
    c.name = value;
    c.message = value;
    return c;
}
} // namespace

TEST_CASE("support operate: lines as the seed's operateLineFor makes them", "[support_api][unit]") {
    CHECK(operateLineFor(chunk("text", "   hello world \n")) == std::optional<std::string>("hello world"));
    CHECK(operateLineFor(chunk("text", std::string(300, 'x')))->size() == 160);
    CHECK(operateLineFor(chunk("tool-use", "Bash")) == std::optional<std::string>("\xE2\x9A\x99 Bash"));
    CHECK(operateLineFor(chunk("error", "boom")) == std::optional<std::string>("\xE2\x9A\xA0 boom"));
    CHECK(*operateLineFor(chunk("error", std::string(400, 'e'))) == "\xE2\x9A\xA0 " + std::string(160, 'e'));
    CHECK_FALSE(operateLineFor(chunk("text", "   ")));
    CHECK_FALSE(operateLineFor(chunk("text", "")));
    CHECK_FALSE(operateLineFor(chunk("thinking", "hmm")));
    CHECK_FALSE(operateLineFor(chunk("usage", "")));
    CHECK_FALSE(operateLineFor(chunk("stderr", "noise")));
    // 160 characters, not bytes.
    std::string accents;
    for (int i = 0; i < 200; ++i) accents += "\xC3\xA9";
    CHECK(operateLineFor(chunk("text", accents))->size() == 320);
}

TEST_CASE("support operate: 40 lines kept, 12 shown, lingers 12 s after the end", "[support_api][unit]") {
    OperateState s;
    CHECK_FALSE(s.snapshot(0));
    s.begin("t1", 1000);
    for (int i = 0; i < 50; ++i) s.add(chunk("text", "line " + std::to_string(i)), 1000 + i);
    auto snap = s.snapshot(2000, 100);
    REQUIRE(snap);
    CHECK(snap->active);
    CHECK(snap->taskId == "t1");
    CHECK(snap->startedAt == 1000);
    REQUIRE(snap->lines.size() == 40);
    CHECK(snap->lines.front().text == "line 10");
    auto status = s.snapshot(2000);
    REQUIRE(status->lines.size() == 12);
    CHECK(status->lines.back().text == "line 49");

    s.end(5000);
    CHECK_FALSE(s.add(chunk("text", "late"), 5001)); // nothing is added after the end
    auto after = s.snapshot(5000 + 11999);
    REQUIRE(after);
    CHECK_FALSE(after->active);
    CHECK(after->endedAt == 5000);
    CHECK_FALSE(s.expire(5000 + 11999));
    CHECK_FALSE(s.snapshot(5000 + 12000)); // lingered out, even before expire()
    CHECK(s.expire(5000 + 12000));
    CHECK_FALSE(s.expire(5000 + 13000)); // only once
}

TEST_CASE("support operate: a new task replaces a lingering one", "[support_api][unit]") {
    OperateState s;
    s.begin("a", 0);
    s.add(chunk("text", "old"), 1);
    s.end(2);
    s.begin("b", 3);
    auto snap = s.snapshot(4);
    REQUIRE(snap);
    CHECK(snap->taskId == "b");
    CHECK(snap->active);
    CHECK(snap->lines.empty());
}

TEST_CASE("support operate: the last 5 resolved prompts are kept, and a new task forgets them", "[support_api][unit]") {
    OperateState s;
    s.addResolved({"early", "allow", "once", "owner", 1}); // no task yet: nothing to remember it for
    s.begin("t", 1000);
    CHECK(s.snapshot(1000)->resolved.empty());
    for (int i = 1; i <= 7; ++i) s.addResolved({"r" + std::to_string(i), i % 2 ? "allow" : "deny", "once", "owner", 1000 + i});
    auto snap = s.snapshot(2000);
    REQUIRE(snap->resolved.size() == 5);
    CHECK(snap->resolved.front().requestId == "r3");
    CHECK(snap->resolved.back().requestId == "r7");
    CHECK(snap->resolved.back().at == 1007);
    s.end(3000);
    CHECK(s.snapshot(3000)->resolved.size() == 5); // lingers with the ended task
    s.begin("u", 4000);
    CHECK(s.snapshot(4000)->resolved.empty());
}
