// Issue 15, the host's files: an unsafe home or wildws.ini, writes through
// planted symlinks, FIFOs and devices in place of the config, and log
// injection through the access log.
#include "fixtures.hpp"
#include "http_client.hpp"
#include "server.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

namespace {

mode_t modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

wt::RunOptions quick() {
    wt::RunOptions o;
    o.timeout = std::chrono::milliseconds(20000);
    return o;
}

} // namespace

TEST_CASE("a world-writable home with a planted wildws.ini is refused and nothing runs", "[integration][hardening]") {
    wt::TempDir base;
    const std::string home = base / "home";
    std::filesystem::create_directory(home);
    ::chmod(home.c_str(), 0777);
    const std::string evil = base / "evil.sh";
    wt::writeFile(evil, "#!/bin/sh\ntouch " + base / "pwned" + "\n", 0755);
    wt::writeFile(home + "/wildws.ini", "[plugin.agent]\nclaude_path = " + evil + "\ndefault_agent = claude\n");
    auto r = wt::wildws(home, {"agent", "run", "hello"}, quick());
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: refusing the wildws home: " + home + " is world-writable (mode 0777), so another user could "
                   "change it - run: chmod 700 " + home + "\n");
    CHECK_FALSE(std::filesystem::exists(base / "pwned"));
    // Owned by someone else: refused too.
    ::chmod(home.c_str(), 0700);
    REQUIRE(::chown(home.c_str(), 65534, 65534) == 0);
    auto foreign = wt::wildws(home, {"plugins"}, quick());
    CHECK(foreign.code == 1);
    CHECK(wt::contains(foreign.err, "wildws: refusing the wildws home: " + home + " is owned by uid 65534, not by you"));
    CHECK_FALSE(std::filesystem::exists(base / "pwned"));
}

TEST_CASE("an unsafe wildws.ini is refused with the fix", "[integration][hardening]") {
    wt::TempDir home;
    const std::string ini = home / "wildws.ini";
    wt::writeFile(ini, "[serve]\nport = 6000\n", 0666);
    auto writable = wt::wildws(home.path(), {"plugins"}, quick());
    CHECK(writable.code == 1);
    CHECK(writable.err == "wildws: refusing the config file: " + ini + " is world-writable (mode 0666), so another user "
                          "could change it - run: chmod 600 " + ini + "\n");

    // A symlink to a file of someone else's.
    ::unlink(ini.c_str());
    wt::writeFile(home / "theirs.ini", "[serve]\nport = 6000\n", 0644);
    REQUIRE(::chown((home / "theirs.ini").c_str(), 65534, 65534) == 0);
    REQUIRE(::symlink((home / "theirs.ini").c_str(), ini.c_str()) == 0);
    auto theirs = wt::wildws(home.path(), {"plugins"}, quick());
    CHECK(theirs.code == 1);
    CHECK(wt::contains(theirs.err, "wildws: refusing the config file: " + ini + " is owned by uid 65534, not by you"));

    // A symlink to a file of your own is fine (dotfile managers do that).
    ::unlink(ini.c_str());
    wt::writeFile(home / "mine.ini", "[plugins]\ndisable = agent\n", 0600);
    REQUIRE(::symlink((home / "mine.ini").c_str(), ini.c_str()) == 0);
    auto mine = wt::wildws(home.path(), {"plugins"}, quick());
    CHECK(mine.code == 0);
    CHECK(wt::contains(mine.out, "disabled in " + ini));
}

TEST_CASE("a FIFO or /dev/zero in place of wildws.ini is refused at once", "[integration][hardening]") {
    wt::TempDir home;
    const std::string ini = home / "wildws.ini";
    REQUIRE(::mkfifo(ini.c_str(), 0600) == 0);
    auto fifo = wt::wildws(home.path(), {"plugins"}, quick());
    CHECK_FALSE(fifo.timedOut);
    CHECK(fifo.code == 1);
    CHECK(fifo.err == "wildws: refusing the config file: " + ini +
                          " is a FIFO, not a regular file, so wildws will not read it - remove it\n");
    ::unlink(ini.c_str());
    REQUIRE(::symlink("/dev/zero", ini.c_str()) == 0);
    auto zero = wt::wildws(home.path(), {"plugins"}, quick());
    CHECK_FALSE(zero.timedOut);
    CHECK(zero.code == 1);
    CHECK(zero.err == "wildws: refusing the config file: " + ini +
                          " is a character device, not a regular file, so wildws will not read it - remove it\n");
    ::unlink(ini.c_str());
    wt::writeFile(ini, "; " + std::string(2 << 20, 'x') + "\n");
    auto huge = wt::wildws(home.path(), {"plugins"}, quick());
    CHECK(huge.code == 1);
    CHECK(wt::contains(huge.err, "more than the 1048576 it may hold"));
}

TEST_CASE("log files are 0600 and never written through a planted symlink", "[integration][hardening]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    CHECK(wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello"}).code == 0);
    CHECK(modeOf(home / "logs") == 0700);
    CHECK(modeOf(home / "logs/ok.log") == 0600);

    wt::writeFile(home / "canary", "untouched\n");
    ::unlink((home / "logs/ok.log").c_str());
    REQUIRE(::symlink((home / "canary").c_str(), (home / "logs/ok.log").c_str()) == 0);
    auto file = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello"});
    CHECK(file.code == 0);
    CHECK(wt::readFile(home / "canary") == "untouched\n");
    CHECK(wt::contains(file.err, "wildws: [warning] [ok] not writing " + home / "logs/ok.log" + ": " + home /
                                     "logs/ok.log is a symbolic link, and wildws never appends through a link"));

    wt::TempDir elsewhere;
    std::filesystem::remove_all(home / "logs");
    REQUIRE(::symlink(elsewhere.path().c_str(), (home / "logs").c_str()) == 0);
    auto dirLink = wt::wildws(home.path(), {"--plugins-dir", dir, "ok", "hello"});
    CHECK(dirLink.code == 0);
    CHECK(std::filesystem::is_empty(elsewhere.path()));
    CHECK(wt::contains(dirLink.err, home / "logs is a symbolic link where wildws keeps its own directory"));
}

TEST_CASE("login codes and crash.log are never written through a planted symlink", "[integration][hardening]") {
    wt::TempDir home;
    wt::TempDir elsewhere;
    REQUIRE(::symlink(elsewhere.path().c_str(), (home / "login-codes").c_str()) == 0);
    auto open = wt::wildws(home.path(), {"open"});
    CHECK(open.code == 1);
    CHECK(wt::contains(open.err, home / "login-codes is a symbolic link where wildws keeps its own directory"));
    CHECK(wt::lines(open.err).size() == 1);
    CHECK(std::filesystem::is_empty(elsewhere.path()));

    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"crasher"});
    wt::writeFile(home / "canary", "untouched\n");
    REQUIRE(::symlink((home / "canary").c_str(), (home / "crash.log").c_str()) == 0);
    auto crash = wt::wildws(home.path(), {"--plugins-dir", dir, "crasher", "segv"});
    CHECK(crash.code == 128 + SIGSEGV);
    CHECK(wt::readFile(home / "canary") == "untouched\n");
}

TEST_CASE("a CR LF in a request path cannot forge a log line", "[integration][hardening]") {
    wt::TempDir home;
    auto dir = pluginsDir(home / "plugins", std::vector<std::string>{"ok"});
    wt::Server server(home.path(), "serve", {"--plugins-dir", dir});
    auto r = wt::http(server.port(), "GET", "/x%0d%0a2026-12-01T07:31:00.000Z%20[error]%20[wildws]%20FORGED");
    CHECK(r.status != 0);
    auto ok = wt::http(server.port(), "GET", "/health"); // one more line after it
    CHECK(ok.status == 200);
    server.child().signal(SIGTERM);
    REQUIRE(server.child().wait(std::chrono::seconds(10)).has_value());
    auto log = wt::readFile(home / "logs/http.log");
    REQUIRE(wt::contains(log, "FORGED"));
    int forgedLines = 0;
    for (auto& line : wt::lines(log)) {
        CHECK(line.rfind("2026-12-01T07:31:00.000Z [error]", 0) != 0);
        CHECK_FALSE(wt::contains(line, "\r"));
        if (wt::contains(line, "FORGED")) {
            ++forgedLines;
            CHECK(wt::contains(line, "/x\\r\\n2026-12-01T07:31:00.000Z [error] [wildws] FORGED"));
        }
    }
    CHECK(forgedLines == 1);
    CHECK(modeOf(home / "logs/http.log") == 0600);
}

// serve's HTTP server is a module (wildws-http.so) opened only when a server
// starts: a copy of the binary in a directory of its own shows what an
// install with a missing or replaceable module does.
TEST_CASE("serve refuses a missing or writable HTTP module and runs with a safe one", "[integration][hardening]") {
    wt::TempDir dir;
    const std::string bin = dir / "bin";
    std::filesystem::create_directory(bin);
    std::filesystem::copy_file(WILDWS_BIN, bin + "/wildws");
    // Its RUNPATH finds the SDK in sdk/ beside it, as in the build tree.
    std::filesystem::create_directory_symlink(std::string(WILDWS_BINARY_DIR) + "/sdk", bin + "/sdk");
    const std::string plugins = dir / "plugins";
    std::filesystem::create_directory(plugins);
    std::filesystem::permissions(plugins, std::filesystem::perms(0700));
    auto serve = [&](const wt::RunOptions& o) {
        return wt::run({bin + "/wildws", "--home", dir / "home", "--plugins-dir", plugins, "serve", "--port", "0"}, o);
    };

    auto missing = serve(quick());
    CHECK(missing.code == 1);
    CHECK(missing.err == "wildws: serve: the HTTP server module " + bin + "/../lib/wildws/wildws-http.so is missing - "
                         "reinstall wildws (the module is built and installed with the binary)\n");
    // One-shot commands never need it.
    CHECK(wt::run({bin + "/wildws", "--home", dir / "home", "--plugins-dir", plugins, "version"}, quick()).code == 0);

    const std::string module = bin + "/wildws-http.so";
    std::filesystem::copy_file(std::string(WILDWS_BINARY_DIR) + "/wildws-http.so", module);
    ::chmod(module.c_str(), 0666);
    auto writable = serve(quick());
    CHECK(writable.code == 1);
    CHECK(writable.err == "wildws: serve: the HTTP server module is not loaded: " + module +
                              " is world-writable (mode 0666), so another user could replace the code - run: chmod "
                              "go-w " + module + "\n");

    ::chmod(module.c_str(), 0755);
    wt::Child server({bin + "/wildws", "--home", dir / "home", "--plugins-dir", plugins, "serve", "--port", "0"});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!wt::contains(server.output(), "listening on") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(wt::contains(server.output(), "wildws serve listening on http://127.0.0.1:"));
    server.signal(SIGTERM);
    auto code = server.wait(std::chrono::seconds(20));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
}
