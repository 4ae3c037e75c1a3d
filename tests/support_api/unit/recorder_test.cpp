#include "recorder.hpp"
#include "session_archive.hpp"
#include "session_id.hpp"
#include "task_lock.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

using namespace wildws::support;

namespace {

wildws::Chunk chunk(const std::string& type) {
    wildws::Chunk c;
    c.type = type;
    c.text = "hello";
    c.reason = "completed";
    return c;
}

int mode(const std::string& path) {
    struct stat st {};
    ::lstat(path.c_str(), &st);
    return st.st_mode & 0777;
}

} // namespace

TEST_CASE("support session id: only [A-Za-z0-9._-], no leading dot, 64 characters", "[support_api][unit]") {
    CHECK(sanitizeSessionId("fix-login_2.1") == "fix-login_2.1");
    CHECK(sanitizeSessionId("../../secrets") == "___.._secrets");
    CHECK(sanitizeSessionId("/etc/passwd") == "_etc_passwd");
    CHECK(sanitizeSessionId("..") == "__");
    CHECK(sanitizeSessionId(".hidden") == "_hidden");
    CHECK(sanitizeSessionId("") == "task");
    CHECK(sanitizeSessionId("a b\nc\xC3\xA9") == "a_b_c__");
    CHECK(sanitizeSessionId(std::string(100, 'x')).size() == 64);
    for (auto id : {"___.._secrets", "task", "a-2"}) CHECK(validSessionId(id));
    for (auto id : {"", ".", "..", "../x", "a/b", ".x", "a b"}) CHECK_FALSE(validSessionId(id));
    CHECK(candidateId("t", 1) == "t");
    CHECK(candidateId("t", 3) == "t-3");
}

TEST_CASE("support recorder: 0600 append-only file inside the directory, suffix when reused", "[support_api][unit]") {
    wt::TempDir tmp;
    const std::string dir = tmp / "support-sessions";
    auto a = Recorder::create(dir, RecordingInfo{"../../secrets", "build", "serve", "do it", 1000});
    CHECK(a->id() == "___.._secrets");
    CHECK(a->file() == dir + "/___.._secrets.jsonl");
    CHECK(mode(dir) == 0700);
    CHECK(mode(a->file()) == 0600);
    CHECK_FALSE(wt::contains(wt::readFile(tmp.path() + "/secrets.jsonl"), "task")); // nothing escaped
    auto b = Recorder::create(dir, RecordingInfo{"../../secrets", "plan", "daemon", "again", 2000});
    CHECK(b->id() == "___.._secrets-2");
    auto c = Recorder::create(dir, RecordingInfo{"../../secrets", "plan", "daemon", "again", 3000});
    CHECK(c->id() == "___.._secrets-3");

    REQUIRE(a->append(recordLine(chunk("text"), 1001)));
    REQUIRE(a->append({recordLine(chunk("text"), 1002), recordLine(chunk("end"), 1003)}));
    CHECK(a->lines() == 3);
    auto lines = wt::lines(wt::readFile(a->file()));
    REQUIRE(lines.size() == 4);
    CHECK(wt::contains(lines[0], "\"type\":\"task\""));
    CHECK(wt::contains(lines[0], "\"taskId\":\"../../secrets\""));
    CHECK(wt::contains(lines[1], "\"at\":1001"));

    SessionArchive archive(dir);
    auto list = archive.list();
    REQUIRE(list.size() == 3);
    CHECK(list[2].id == "___.._secrets"); // newest first
    CHECK(list[2].endReason == "completed");
    CHECK(list[2].endedAt == 1003);
    CHECK(list[2].chunks == 3);
    CHECK(list[0].endReason == "unfinished"); // no end line: cut short
    auto replay = archive.read("___.._secrets");
    REQUIRE(replay);
    CHECK(replay->chunks->size() == 3);
    CHECK_FALSE(archive.read("../___.._secrets"));
    CHECK_FALSE(archive.read("nope"));

    b->discard();
    CHECK(archive.list().size() == 2);
}

TEST_CASE("support recorder: a symlinked sessions directory is refused", "[support_api][unit]") {
    wt::TempDir tmp;
    ::mkdir((tmp / "elsewhere").c_str(), 0700);
    REQUIRE(::symlink((tmp / "elsewhere").c_str(), (tmp / "support-sessions").c_str()) == 0);
    CHECK_THROWS(Recorder::create(tmp / "support-sessions", RecordingInfo{"t", "build", "serve", "p", 1}));
}

TEST_CASE("support task lock: one holder at a time, named in the refusal, released on destruction",
          "[support_api][unit]") {
    wt::TempDir tmp;
    const std::string dir = tmp / "support-sessions";
    std::string holder;
    auto first = TaskLock::tryAcquire(dir, "fix-it", "serve", holder);
    REQUIRE(first);
    auto second = TaskLock::tryAcquire(dir, "other", "daemon", holder);
    CHECK_FALSE(second);
    CHECK(wt::contains(holder, "task 'fix-it' in serve"));
    first.reset();
    CHECK(TaskLock::tryAcquire(dir, "other", "daemon", holder));
}
