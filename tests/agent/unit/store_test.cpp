// The conversation store: sessions/<id>.jsonl (0600) and its meta file.
#include "support.hpp"

#include "conversation_store.hpp"

#include <catch2/catch.hpp>

#include <wildws_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

using namespace wildws;
using namespace wildws::agent;

namespace {

Chunk chunk(const char* type) {
    Chunk c;
    c.type = type;
    return c;
}

TurnInfo turn(const std::string& prompt) {
    TurnInfo t;
    t.prompt = prompt;
    t.agent = "claude";
    t.mode = "build";
    t.cwd = "/tmp";
    return t;
}

int mode(const std::string& path) {
    struct stat st {};
    ::lstat(path.c_str(), &st);
    return st.st_mode & 0777;
}

} // namespace

TEST_CASE("a turn is appended as prompt line plus chunks, 0600 in a 0700 dir", "[store]") {
    wt::TempDir home;
    ConversationStore store(home / "sessions", nullptr);
    {
        auto rec = store.beginTurn("abc", turn("Fix the \"sum\" test\nplease"));
        Chunk start = chunk("start");
        start.sessionId = "abc";
        start.agent = "claude";
        Chunk text = chunk("text");
        text.text = "done";
        text.resumeId = "claude-1";
        Chunk end = chunk("end");
        end.reason = "completed";
        rec->append({start, text});
        rec->append({end});
    }
    CHECK(mode(home / "sessions") == 0700);
    CHECK(mode(home / "sessions/abc.jsonl") == 0600);
    CHECK(mode(home / "sessions/abc.meta.json") == 0600);
    auto lines = wt::lines(*store.transcript("abc"));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].find("\"type\":\"prompt\"") != std::string::npos);
    CHECK(lines[0].find("Fix the \\\"sum\\\" test\\nplease") != std::string::npos);
    CHECK(lines[1] == R"({"type":"start","sessionId":"abc","agent":"claude"})");
    CHECK(lines[3] == R"({"type":"end","code":0,"reason":"completed"})");
    auto meta = store.load("abc");
    REQUIRE(meta);
    CHECK(meta->title == "Fix the \"sum\" test");
    CHECK(meta->turns == 1);
    CHECK(meta->resumeId == "claude-1");
    CHECK(meta->lastReason == "completed");
    CHECK(meta->createdAt > 0);
}

TEST_CASE("follow-up turns append, the list is newest first and survives a lost meta file", "[store]") {
    wt::TempDir home;
    ConversationStore store(home / "sessions", nullptr);
    auto endChunk = [](const char* reason, const char* resume) {
        Chunk e = chunk("end");
        e.reason = reason;
        e.resumeId = resume;
        return e;
    };
    store.beginTurn("one", turn("first conversation"))->append({endChunk("completed", "r1")});
    ::usleep(5000);
    store.beginTurn("two", turn("second conversation"))->append({endChunk("failed", "")});
    ::usleep(5000);
    TurnInfo again = turn("a follow-up");
    again.resumed = true;
    store.beginTurn("one", again)->append({endChunk("completed", "r1")});

    auto list = store.list(10);
    REQUIRE(list.size() == 2);
    CHECK(list[0].id == "one");
    CHECK(list[0].turns == 2);
    CHECK(list[0].title == "first conversation");
    CHECK(list[0].resumeId == "r1");
    CHECK(list[1].id == "two");
    CHECK(list[1].lastReason == "failed");
    CHECK(store.list(1).size() == 1);

    ::unlink((home / "sessions/one.meta.json").c_str());
    wt::writeFile(home / "sessions/two.meta.json", "{corrupt");
    auto rebuilt = store.load("one");
    REQUIRE(rebuilt);
    CHECK(rebuilt->turns == 2);
    CHECK(rebuilt->resumeId == "r1");
    CHECK(rebuilt->title == "first conversation");
    CHECK(store.load("two")->lastReason == "failed");
    CHECK(store.list(10).size() == 2);
}

TEST_CASE("a torn last line is left out and never glued to the next turn", "[store]") {
    wt::TempDir home;
    ConversationStore store(home / "sessions", nullptr);
    store.beginTurn("torn", turn("hello"));
    {
        std::string path = home / "sessions/torn.jsonl";
        std::string text = wt::readFile(path) + "{\"type\":\"text\",\"te"; // a crash mid-line
        wt::writeFile(path, text);
    }
    CHECK(wt::lines(*store.transcript("torn")).size() == 1);
    store.beginTurn("torn", turn("again"));
    auto lines = wt::lines(*store.transcript("torn"));
    REQUIRE(lines.size() == 3);
    CHECK(lines[1] == "{\"type\":\"text\",\"te");
    CHECK(lines[2].find("\"text\":\"again\"") != std::string::npos);
}

TEST_CASE("ids are checked and symlinks are refused", "[store]") {
    CHECK(ConversationStore::validId("aZ09_-"));
    CHECK_FALSE(ConversationStore::validId(""));
    CHECK_FALSE(ConversationStore::validId("../etc/passwd"));
    CHECK_FALSE(ConversationStore::validId("a.b"));
    CHECK_FALSE(ConversationStore::validId(std::string(65, 'a')));
    wt::TempDir home;
    ConversationStore store(home / "sessions", nullptr);
    CHECK_FALSE(store.load("../x"));
    CHECK_FALSE(store.transcript("nope"));
    CHECK_THROWS(store.beginTurn("../x", turn("p")));
    ::mkdir((home / "sessions").c_str(), 0700);
    wt::writeFile(home / "canary", "untouched");
    REQUIRE(::symlink((home / "canary").c_str(), (home / "sessions/evil.jsonl").c_str()) == 0);
    CHECK_THROWS(store.beginTurn("evil", turn("p")));
    CHECK(wt::readFile(home / "canary") == "untouched");
    CHECK_FALSE(store.transcript("evil"));
}
