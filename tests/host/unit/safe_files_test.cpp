// The SDK's safe state-file helpers against the real things an attacker or
// a broken tool leaves in a home: FIFOs, symlinks, devices, foreign modes,
// and the temp files of writers killed mid-write.
#include <wildws/secure.hpp>

#include <catch2/catch.hpp>

#include "wildws_test.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <filesystem>

namespace {

int countTemps(const std::string& dir, const std::string& prefix) {
    int n = 0;
    for (auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().rfind(prefix, 0) == 0) ++n;
    return n;
}

mode_t modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Creates the temp file the way a writer does (O_EXCL + flock) in a child,
// then kills the child with SIGKILL, as a writer killed mid-write.
std::string tempOfKilledWriter(const std::string& target) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::string tmp = target + ".tmp." + std::to_string(::getpid()) + ".AbCdEf";
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
        ::flock(fd, LOCK_EX);
        (void)!::write(fd, "{\"half", 6);
        (void)!::write(ready[1], "x", 1);
        for (;;) ::pause();
    }
    char c;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(ready[0]);
    ::close(ready[1]);
    return target + ".tmp." + std::to_string(pid) + ".AbCdEf";
}

} // namespace

TEST_CASE("readStateFile reads a regular file of your own", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::writeFile(dir / "state.json", "{\"v\":1}\n");
    auto r = wildws::readStateFile(dir / "state.json");
    REQUIRE(r.ok());
    CHECK(r.content == "{\"v\":1}\n");
    CHECK(r.error.empty());
}

TEST_CASE("readStateFile says a missing file is missing", "[unit][safe-files]") {
    wt::TempDir dir;
    auto r = wildws::readStateFile(dir / "none.json");
    CHECK(r.problem == wildws::FileProblem::Missing);
    CHECK(r.error == dir / "none.json" + " does not exist");
}

TEST_CASE("readStateFile refuses a FIFO at once instead of blocking", "[unit][safe-files]") {
    wt::TempDir dir;
    REQUIRE(::mkfifo((dir / "wildws.ini").c_str(), 0600) == 0);
    auto r = wildws::readStateFile(dir / "wildws.ini");
    CHECK(r.problem == wildws::FileProblem::NotRegular);
    CHECK(r.error == dir / "wildws.ini" + " is a FIFO, not a regular file, so wildws will not read it - remove it");
}

TEST_CASE("readStateFile refuses a device such as /dev/zero", "[unit][safe-files]") {
    wildws::StateFileOptions follow;
    follow.followSymlink = true;
    auto r = wildws::readStateFile("/dev/zero", follow);
    CHECK(r.problem == wildws::FileProblem::NotRegular);
    CHECK(r.error == "/dev/zero is a character device, not a regular file, so wildws will not read it - remove it");

    wt::TempDir dir;
    REQUIRE(::symlink("/dev/zero", (dir / "wildws.ini").c_str()) == 0);
    auto viaLink = wildws::readStateFile(dir / "wildws.ini", follow);
    CHECK(viaLink.problem == wildws::FileProblem::NotRegular);
    CHECK(wt::contains(viaLink.error, "is a character device"));
}

TEST_CASE("readStateFile refuses a symlink unless asked to follow it", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::writeFile(dir / "real.json", "{}");
    REQUIRE(::symlink((dir / "real.json").c_str(), (dir / "link.json").c_str()) == 0);
    auto r = wildws::readStateFile(dir / "link.json");
    CHECK(r.problem == wildws::FileProblem::Symlink);
    CHECK(r.error == dir / "link.json" + " is a symbolic link, and wildws does not read its state through links - remove it");
    wildws::StateFileOptions follow;
    follow.followSymlink = true;
    auto followed = wildws::readStateFile(dir / "link.json", follow);
    REQUIRE(followed.ok());
    CHECK(followed.content == "{}");
}

TEST_CASE("readStateFile refuses a group- or world-writable file with the chmod that fixes it", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::writeFile(dir / "state.json", "{}", 0666);
    auto r = wildws::readStateFile(dir / "state.json");
    CHECK(r.problem == wildws::FileProblem::Unsafe);
    CHECK(r.error == dir / "state.json" + " is world-writable (mode 0666), so another user could change it - run: chmod 600 " +
                         dir / "state.json");
    ::chmod((dir / "state.json").c_str(), 0620);
    CHECK(wt::contains(wildws::readStateFile(dir / "state.json").error, "is group-writable (mode 0620)"));
}

TEST_CASE("readStateFile with privateOnly refuses a file others can read", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::writeFile(dir / "secrets.json", "{}", 0644);
    wildws::StateFileOptions priv;
    priv.privateOnly = true;
    auto r = wildws::readStateFile(dir / "secrets.json", priv);
    CHECK(r.problem == wildws::FileProblem::Unsafe);
    CHECK(r.error == dir / "secrets.json" + " is readable by other users (mode 0644) - run: chmod 600 " + dir / "secrets.json");
    CHECK(wildws::readStateFile(dir / "secrets.json").ok());
}

TEST_CASE("readStateFile refuses a file over the caller's cap", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::writeFile(dir / "big.json", std::string(2000, 'x'));
    wildws::StateFileOptions small;
    small.maxBytes = 1000;
    auto r = wildws::readStateFile(dir / "big.json", small);
    CHECK(r.problem == wildws::FileProblem::TooLarge);
    CHECK(r.content.empty());
    CHECK(r.error == dir / "big.json" +
                         " holds 2000 bytes, more than the 1000 it may hold - it is not a file wildws wrote; move it away");
}

TEST_CASE("openAppendFile creates a 0600 file and appends to it", "[unit][safe-files]") {
    wt::TempDir dir;
    for (const char* text : {"one\n", "two\n"}) {
        auto f = wildws::openAppendFile(dir / "http.log");
        REQUIRE(f.ok());
        REQUIRE(f.fd >= 0);
        CHECK(::write(f.fd, text, 4) == 4);
        CHECK((::fcntl(f.fd, F_GETFD) & FD_CLOEXEC) != 0);
        ::close(f.fd);
    }
    CHECK(wt::readFile(dir / "http.log") == "one\ntwo\n");
    CHECK(modeOf(dir / "http.log") == 0600);
}

TEST_CASE("openAppendFile never appends through a planted symlink", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::writeFile(dir / "canary", "untouched\n");
    REQUIRE(::symlink((dir / "canary").c_str(), (dir / "http.log").c_str()) == 0);
    auto f = wildws::openAppendFile(dir / "http.log");
    CHECK(f.fd == -1);
    CHECK(f.problem == wildws::FileProblem::Symlink);
    CHECK(f.error == dir / "http.log" + " is a symbolic link, and wildws never appends through a link (it would write "
                                        "wherever the link points) - remove it");
    CHECK(wt::readFile(dir / "canary") == "untouched\n");
}

TEST_CASE("openAppendFile refuses a FIFO with or without a reader", "[unit][safe-files]") {
    wt::TempDir dir;
    REQUIRE(::mkfifo((dir / "audit.jsonl").c_str(), 0600) == 0);
    auto noReader = wildws::openAppendFile(dir / "audit.jsonl");
    CHECK(noReader.problem == wildws::FileProblem::NotRegular);
    CHECK(noReader.error == dir / "audit.jsonl" + " is a FIFO, not a regular file, so wildws will not append to it - remove it");
    int reader = ::open((dir / "audit.jsonl").c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    auto withReader = wildws::openAppendFile(dir / "audit.jsonl");
    CHECK(withReader.fd == -1);
    CHECK(withReader.problem == wildws::FileProblem::NotRegular);
    CHECK(withReader.error == noReader.error);
    ::close(reader);
}

TEST_CASE("openAppendFile refuses a directory that is a symlink or writable by others", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::TempDir elsewhere;
    REQUIRE(::symlink(elsewhere.path().c_str(), (dir / "logs").c_str()) == 0);
    auto viaLink = wildws::openAppendFile(dir / "logs/http.log");
    CHECK(viaLink.problem == wildws::FileProblem::Symlink);
    CHECK(wt::contains(viaLink.error, dir / "logs is a symbolic link"));
    CHECK(std::filesystem::is_empty(elsewhere.path()));

    REQUIRE(::mkdir((dir / "open").c_str(), 0700) == 0);
    ::chmod((dir / "open").c_str(), 0777);
    auto writable = wildws::openAppendFile(dir / "open/http.log");
    CHECK(writable.problem == wildws::FileProblem::Unsafe);
    CHECK(writable.error == dir / "open" + " is world-writable (mode 0777), so another user could change it - run: chmod 700 " +
                                dir / "open");
    CHECK(!std::filesystem::exists(dir / "open/http.log"));
}

TEST_CASE("ensurePrivateDir creates missing directories 0700 and accepts them again", "[unit][safe-files]") {
    wt::TempDir dir;
    auto made = wildws::ensurePrivateDir(dir / "a/b/logs");
    REQUIRE(made.ok());
    CHECK(made.created);
    CHECK(modeOf(dir / "a/b/logs") == 0700);
    CHECK(modeOf(dir / "a") == 0700);
    auto again = wildws::ensurePrivateDir(dir / "a/b/logs");
    CHECK(again.ok());
    CHECK_FALSE(again.created);
    auto notCreated = wildws::ensurePrivateDir(dir / "nothing", false);
    CHECK(notCreated.problem == wildws::FileProblem::Missing);
    CHECK(!std::filesystem::exists(dir / "nothing"));
}

TEST_CASE("ensurePrivateDir refuses a symlink, a file and a world-writable directory", "[unit][safe-files]") {
    wt::TempDir dir;
    wt::TempDir elsewhere;
    REQUIRE(::symlink(elsewhere.path().c_str(), (dir / "login-codes").c_str()) == 0);
    auto link = wildws::ensurePrivateDir(dir / "login-codes");
    CHECK(link.problem == wildws::FileProblem::Symlink);
    CHECK(link.error == dir / "login-codes" + " is a symbolic link where wildws keeps its own directory, so its files "
                                              "would land wherever it points - remove the link (wildws recreates the directory)");
    wt::writeFile(dir / "plain", "x");
    CHECK(wildws::ensurePrivateDir(dir / "plain").problem == wildws::FileProblem::NotRegular);
    REQUIRE(::mkdir((dir / "home").c_str(), 0700) == 0);
    ::chmod((dir / "home").c_str(), 0777);
    auto open = wildws::ensurePrivateDir(dir / "home");
    CHECK(open.problem == wildws::FileProblem::Unsafe);
    CHECK(wt::contains(open.error, "run: chmod 700 " + dir / "home"));
    ::chmod((dir / "home").c_str(), 0755);
    CHECK(wildws::ensurePrivateDir(dir / "home").ok());
}

TEST_CASE("writeFileAtomic removes the temp file of a writer killed mid-write", "[unit][safe-files]") {
    wt::TempDir dir;
    auto target = dir / "support-consent.json";
    auto stale = tempOfKilledWriter(target);
    REQUIRE(std::filesystem::exists(stale));
    wildws::writeFileAtomic(target, "{\"tier\":1}");
    CHECK(!std::filesystem::exists(stale));
    CHECK(countTemps(dir.path(), "support-consent.json.tmp.") == 0);
    CHECK(wt::readFile(target) == "{\"tier\":1}");
}

TEST_CASE("writeFileAtomic keeps the temp file of a live writer", "[unit][safe-files]") {
    wt::TempDir dir;
    auto target = dir / "support-consent.json";
    // A live writer: this process's pid, its lock held.
    auto live = target + ".tmp." + std::to_string(::getpid()) + ".LiVe00";
    int fd = ::open(live.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    struct utimbuf old {::time(nullptr) - 3600, ::time(nullptr) - 3600};
    ::utime(live.c_str(), &old); // even an old one: the lock says its writer is alive
    wildws::writeFileAtomic(target, "{}");
    CHECK(std::filesystem::exists(live));
    ::close(fd);
}

TEST_CASE("writeFileAtomic tells a reused pid from a live writer by lock and age", "[unit][safe-files]") {
    wt::TempDir dir;
    auto target = dir / "state.json";
    // pid 1 is alive, but it is not writing our file: nobody holds the lock.
    auto fresh = target + ".tmp.1.FrEsH0";
    auto old = target + ".tmp.1.OlD000";
    wt::writeFile(fresh, "{");
    wt::writeFile(old, "{");
    struct utimbuf past {::time(nullptr) - 60, ::time(nullptr) - 60};
    REQUIRE(::utime(old.c_str(), &past) == 0);
    wildws::writeFileAtomic(target, "{}");
    CHECK(!std::filesystem::exists(old));
    CHECK(std::filesystem::exists(fresh)); // might be a writer between its open and its flock
    // Other files' temps are never touched.
    wt::writeFile(dir / "other.json.tmp.999999999.x", "{");
    wildws::writeFileAtomic(target, "{}");
    CHECK(std::filesystem::exists(dir / "other.json.tmp.999999999.x"));
}
