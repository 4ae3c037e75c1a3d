#include "audit_gen.hpp"
#include "audit_log.hpp"

#include "unit_util.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <thread>

using namespace wildws::consent;
using wildws::AuditEntry;

namespace {

AuditEntry entry(const std::string& action, std::int64_t ts, const std::string& detail = "", bool ok = true) {
    AuditEntry e;
    e.ts = ts;
    e.action = action;
    e.tier = 2;
    e.ok = ok;
    e.actor = "operator";
    e.detail = detail;
    return e;
}

std::vector<std::string> fileLines(const std::string& path) { return wt::lines(wt::readFile(path)); }

void writeLines(const std::string& path, const std::vector<std::string>& lines, bool finalNewline = true) {
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) text += lines[i] + (i + 1 < lines.size() || finalNewline ? "\n" : "");
    wt::writeFile(path, text);
}

} // namespace

TEST_CASE("consent audit: appends chain and read back newest first", "[consent][audit]") {
    consent_unit::Fixture f;
    AuditLog log(f.auditFile());
    CHECK(log.newest(20).entries.empty());
    CHECK(log.verify().missing);

    log.append(entry("grant", 1000, "first"));
    log.append(entry("diagnostics", 2000, "second", false));
    log.append(entry("revoke", 3000, "third"));
    CHECK(consent_unit::modeOf(f.auditFile()) == 0600);

    auto lines = fileLines(f.auditFile());
    REQUIRE(lines.size() == 3);
    std::string why;
    auto l1 = parseLine(lines[0], why);
    auto l2 = parseLine(lines[1], why);
    auto l3 = parseLine(lines[2], why);
    REQUIRE(l1);
    REQUIRE(l2);
    REQUIRE(l3);
    CHECK(l1->prev == kGenesisHash);
    CHECK(l2->prev == l1->hash);
    CHECK(l3->prev == l2->hash);
    CHECK(l1->hash == chainHash(kGenesisHash, l1->entry));
    CHECK(lines[0].rfind("{\"ts\":1000,\"action\":\"grant\",\"tier\":2,\"ok\":true,\"actor\":\"operator\",\"detail\":"
                         "\"first\",\"prev\":\"0000",
                         0) == 0);

    auto read = log.newest(2);
    REQUIRE(read.entries.size() == 2);
    CHECK(read.entries[0].action == "revoke");
    CHECK(read.entries[1].action == "diagnostics");
    CHECK_FALSE(read.entries[1].ok);
    CHECK_FALSE(read.tornTail);
    CHECK(log.newest(20).entries.size() == 3);

    auto v = log.verify();
    CHECK(v.ok);
    CHECK(v.entries == 3);
    CHECK(v.head == l3->hash);
}

TEST_CASE("consent audit: every field is in the hash", "[consent][audit]") {
    auto base = entry("grant", 1000, "d");
    auto h = chainHash(kGenesisHash, base);
    auto changed = [&](auto mutate) {
        auto e = base;
        mutate(e);
        return chainHash(kGenesisHash, e) != h;
    };
    CHECK(changed([](AuditEntry& e) { e.ts = 1001; }));
    CHECK(changed([](AuditEntry& e) { e.action = "grant2"; }));
    CHECK(changed([](AuditEntry& e) { e.tier = 3; }));
    CHECK(changed([](AuditEntry& e) { e.ok = false; }));
    CHECK(changed([](AuditEntry& e) { e.actor = "owner"; }));
    CHECK(changed([](AuditEntry& e) { e.detail = "e"; }));
    CHECK(chainHash(std::string(64, '1'), base) != h);
    // Field boundaries cannot be shifted: ("ab","c") vs ("a","bc").
    auto a = base, b = base;
    a.actor = "ab";
    a.detail = "c";
    b.actor = "a";
    b.detail = "bc";
    CHECK(chainHash(kGenesisHash, a) != chainHash(kGenesisHash, b));
}

TEST_CASE("consent audit: hostile text stays inside its line", "[consent][audit]") {
    consent_unit::Fixture f;
    AuditLog log(f.auditFile());
    const std::string forged = "x\"}\n{\"ts\":1,\"action\":\"grant\",\"tier\":4,\"ok\":true}\n";
    log.append(entry("diagnostics", 1000, forged));
    log.append(entry("a\nb", 2000, "u2028 \xE2\x80\xA8 and bad utf8 \xFF\xFE end"));
    log.append(entry("big", 3000, std::string(5000, 'z')));
    auto lines = fileLines(f.auditFile());
    REQUIRE(lines.size() == 3);
    auto read = log.newest(10);
    REQUIRE(read.entries.size() == 3);
    CHECK(read.entries[2].detail == forged);
    CHECK(read.entries[1].action == "a\nb");
    CHECK(read.entries[1].detail == "u2028 \xE2\x80\xA8 and bad utf8 \xEF\xBF\xBD\xEF\xBF\xBD end");
    CHECK(read.entries[0].detail.size() == kMaxDetailBytes);
    CHECK(read.entries[0].detail.substr(kMaxDetailBytes - 3) == "\xE2\x80\xA6");
    CHECK(log.verify().ok);
}

TEST_CASE("consent audit: bidi controls are written out, never stored", "[consent][audit]") {
    consent_unit::Fixture f;
    AuditLog log(f.auditFile());
    auto e = entry("shell", 1000, "args {\"command\":\"cat \xE2\x80\xAEtxt.exe\"}");
    e.actor = "op\xE2\x81\xA6" "erator";
    log.append(e);
    auto read = log.newest(1);
    REQUIRE(read.entries.size() == 1);
    CHECK(read.entries[0].detail == "args {\"command\":\"cat \\u202etxt.exe\"}");
    CHECK(read.entries[0].actor == "op\\u2066erator");
    CHECK(wt::readFile(f.auditFile()).find("\xE2\x80\xAE") == std::string::npos);
    CHECK(log.verify().ok);
}

TEST_CASE("consent audit: a torn last line is skipped, reported and repaired", "[consent][audit]") {
    consent_unit::Fixture f;
    AuditLog log(f.auditFile());
    log.append(entry("one", 1000));
    log.append(entry("two", 2000));
    {
        std::ofstream out(f.auditFile(), std::ios::app | std::ios::binary);
        out << "{\"ts\":3000,\"action\":\"thr"; // the crash happened here
    }
    auto read = log.newest(20);
    CHECK(read.tornTail);
    REQUIRE(read.entries.size() == 2);
    CHECK(read.entries[0].action == "two");

    auto v = log.verify();
    CHECK_FALSE(v.ok);
    CHECK(v.tornTail);
    CHECK(v.badLine == 3);
    CHECK(v.entries == 2);
    CHECK(v.problem == "it is incomplete (a crash mid-write?); the next append drops it and records that");

    log.append(entry("three", 4000));
    auto after = log.newest(20);
    CHECK_FALSE(after.tornTail);
    REQUIRE(after.entries.size() == 4);
    CHECK(after.entries[0].action == "three");
    CHECK(after.entries[1].action == "audit-repair");
    CHECK(after.entries[1].actor == "wildws");
    CHECK(after.entries[1].detail ==
          "dropped an incomplete last line of 24 bytes (a crash mid-write?): {\"ts\":3000,\"action\":\"thr");
    auto v2 = log.verify();
    CHECK(v2.ok);
    CHECK(v2.entries == 4);
}

TEST_CASE("consent audit: verify catches edit, delete, reorder and insert", "[consent][audit]") {
    consent_unit::Fixture f;
    const std::string path = f.auditFile();
    consent_test::generateAudit(path, 10);
    AuditLog log(path);
    REQUIRE(log.verify().ok);
    REQUIRE(log.verify().entries == 10);
    const auto original = fileLines(path);

    SECTION("edit a field") {
        auto lines = original;
        auto pos = lines[4].find("entry 4");
        REQUIRE(pos != std::string::npos);
        lines[4].replace(pos, 7, "entry X");
        writeLines(path, lines);
        auto v = log.verify();
        CHECK_FALSE(v.ok);
        CHECK(v.badLine == 5);
        CHECK(v.entries == 4);
        CHECK(v.problem == "its hash does not match its content (the line was edited)");
    }
    SECTION("edit a field and recompute that line's hash") {
        auto lines = original;
        std::string why;
        auto parsed = parseLine(lines[4], why);
        REQUIRE(parsed);
        parsed->entry.ok = !parsed->entry.ok;
        std::string hash;
        lines[4] = formatLine(parsed->entry, parsed->prev, hash);
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 6);
        CHECK(v.problem == "it does not follow line 5 (a line was deleted, inserted or reordered here)");
    }
    SECTION("delete a line") {
        auto lines = original;
        lines.erase(lines.begin() + 6);
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 7);
        CHECK(v.problem == "it does not follow line 6 (a line was deleted, inserted or reordered here)");
    }
    SECTION("delete the first line") {
        auto lines = original;
        lines.erase(lines.begin());
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 1);
        CHECK(v.problem == "it does not start the chain (lines were removed from the start?)");
    }
    SECTION("swap two lines") {
        auto lines = original;
        std::swap(lines[2], lines[3]);
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 3);
        CHECK(v.problem == "it does not follow line 2 (a line was deleted, inserted or reordered here)");
    }
    SECTION("insert a copy of a line") {
        auto lines = original;
        lines.insert(lines.begin() + 3, lines[2]);
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 4);
    }
    SECTION("a line that is not an entry") {
        auto lines = original;
        lines[7] = "{\"hello\":1}";
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 8);
        CHECK(v.problem == "not an audit entry (unexpected key 'hello')");
        lines[7] = "garbage";
        writeLines(path, lines);
        CHECK(log.verify().problem == "not an audit entry (not valid JSON)");
    }
    SECTION("an extra key is not allowed") {
        auto lines = original;
        lines[1].insert(1, "\"extra\":1,");
        writeLines(path, lines);
        auto v = log.verify();
        CHECK(v.badLine == 2);
        CHECK(v.problem == "not an audit entry (unexpected key 'extra')");
    }
}

TEST_CASE("consent audit: appends keep working after a bad last line", "[consent][audit]") {
    consent_unit::Fixture f;
    consent_test::generateAudit(f.auditFile(), 3);
    {
        std::ofstream out(f.auditFile(), std::ios::app);
        out << "not json\n";
    }
    AuditLog log(f.auditFile());
    log.append(entry("after", 99));
    auto lines = fileLines(f.auditFile());
    REQUIRE(lines.size() == 5);
    std::string why;
    auto last = parseLine(lines[4], why);
    REQUIRE(last);
    CHECK(last->prev == sha256Hex("not json"));
    auto v = log.verify();
    CHECK(v.badLine == 4); // the garbage line, not the entry after it
    auto read = log.newest(10);
    CHECK(read.skipped == 1);
    CHECK(read.entries.size() == 4);
}

TEST_CASE("consent audit: newest N comes from the end of a big file", "[consent][audit]") {
    consent_unit::Fixture f;
    const std::size_t n = 200000;
    consent_test::generateAudit(f.auditFile(), n);
    AuditLog log(f.auditFile());
    auto read = log.newest(20);
    REQUIRE(read.entries.size() == 20);
    for (std::size_t k = 0; k < 20; ++k) {
        std::size_t i = n - 1 - k;
        CHECK(read.entries[k].ts == consent_test::kGenStartTs + static_cast<std::int64_t>(i) * 1000);
        CHECK(read.entries[k].detail == "entry " + std::to_string(i));
    }
    CHECK(log.newest(1).entries.at(0).detail == "entry 199999");
    auto v = log.verify();
    CHECK(v.ok);
    CHECK(v.entries == n);
}

TEST_CASE("consent audit: threads appending at once never interleave", "[consent][audit]") {
    consent_unit::Fixture f;
    AuditLog log(f.auditFile());
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t)
        threads.emplace_back([&, t] {
            AuditLog own(f.auditFile()); // each thread its own descriptor, as separate callers have
            for (int i = 0; i < 60; ++i)
                own.append(entry("t" + std::to_string(t), i, std::string(static_cast<std::size_t>(i * 31 % 1500), 'q')));
        });
    for (auto& th : threads) th.join();
    auto v = log.verify();
    CHECK(v.ok);
    CHECK(v.entries == 360);
}

TEST_CASE("consent audit: transact appends nothing when the action fails", "[consent][audit]") {
    consent_unit::Fixture f;
    AuditLog log(f.auditFile());
    CHECK_THROWS_WITH(log.transact([]() -> std::vector<AuditEntry> { throw std::runtime_error("boom"); }), "boom");
    CHECK(log.newest(5).entries.empty());
    log.transact([] { return std::vector<AuditEntry>{}; });
    CHECK(log.newest(5).entries.empty());
}

TEST_CASE("consent audit: an unusable audit file fails loudly and runs undo", "[consent][audit]") {
    consent_unit::Fixture f;
    SECTION("a directory in its place") {
        REQUIRE(::mkdir(f.auditFile().c_str(), 0700) == 0);
        AuditLog log(f.auditFile());
        bool undone = false;
        bool acted = false;
        CHECK_THROWS_AS(log.transact(
                            [&] {
                                acted = true;
                                return std::vector<AuditEntry>{entry("x", 1)};
                            },
                            [&] { undone = true; }),
                        AuditError);
        CHECK_FALSE(acted); // it could not even lock, so nothing was done
        CHECK_FALSE(undone);
    }
    SECTION("a symlink in its place") {
        wt::writeFile(f.dir / "target", "");
        REQUIRE(::symlink((f.dir / "target").c_str(), f.auditFile().c_str()) == 0);
        AuditLog log(f.auditFile());
        CHECK_THROWS_WITH(log.append(entry("x", 1)), Catch::Contains("it is a symbolic link"));
        CHECK_THROWS_WITH(log.newest(5), Catch::Contains("it is a symbolic link"));
        CHECK(wt::readFile(f.dir / "target").empty());
    }
    SECTION("a group-readable file is made private") {
        wt::writeFile(f.auditFile(), "", 0644);
        AuditLog(f.auditFile()).append(entry("x", 1));
        CHECK(consent_unit::modeOf(f.auditFile()) == 0600);
    }
}

TEST_CASE("consent audit: an overlong garbage line is skipped without holding it", "[consent][audit]") {
    consent_unit::Fixture f;
    consent_test::generateAudit(f.auditFile(), 3);
    AuditLog log(f.auditFile());
    SECTION("in the middle") {
        {
            std::ofstream out(f.auditFile(), std::ios::app | std::ios::binary);
            out << std::string(3 << 20, 'x') << "\n";
        }
        log.append(entry("after", 99));
        auto read = log.newest(10);
        CHECK(read.skipped == 1);
        REQUIRE(read.entries.size() == 4);
        CHECK(read.entries[0].action == "after");
        CHECK(read.entries[1].detail == "entry 2");
        auto v = log.verify();
        CHECK(v.badLine == 4);
        CHECK(v.problem == "not an audit entry (longer than 1 MiB)");
    }
    SECTION("as a torn tail") {
        {
            std::ofstream out(f.auditFile(), std::ios::app | std::ios::binary);
            out << std::string(2 << 20, 'y');
        }
        auto read = log.newest(10);
        CHECK(read.tornTail);
        CHECK(read.entries.size() == 3);
        log.append(entry("after", 99));
        auto fixed = log.newest(10);
        REQUIRE(fixed.entries.size() == 5);
        CHECK(fixed.entries[1].detail == "dropped an incomplete last line of 2097152 bytes (a crash mid-write?): ");
        CHECK(log.verify().ok);
    }
}

TEST_CASE("consent audit: legacy lines are entries without a chain, anything else is garbage", "[consent][audit]") {
    auto e = parseLegacyLine(R"({"ts":5,"action":"diagnostics","tier":1,"ok":true,"args":{"x":1}})");
    REQUIRE(e);
    CHECK(e->legacy);
    CHECK(e->ts == 5);
    CHECK(e->action == "diagnostics");
    CHECK(e->tier == 1);
    CHECK(e->ok);
    CHECK(e->detail == R"({"args":{"x":1}})");
    auto bare = parseLegacyLine(R"({"ts":5,"action":"logs"})");
    REQUIRE(bare);
    CHECK_FALSE(bare->ok);
    CHECK(bare->detail.empty());
    for (const char* bad : {"garbage", R"({"action":"x"})", R"({"ts":"5","action":"x"})", R"({"ts":5,"action":7})",
                            R"({"ts":5,"action":"x","prev":"y"})", R"([1])", R"({"ts":5,"ts":6,"action":"x"})"}) {
        INFO(bad);
        CHECK_FALSE(parseLegacyLine(bad));
    }
}

TEST_CASE("consent audit: an unchanged feed is read once, a changed one again", "[consent][audit]") {
    consent_unit::Fixture f;
    consent_test::generateAudit(f.auditFile(), 5);
    // Older than the racy window, as an idle feed is.
    struct timespec old[2] = {{::time(nullptr) - 60, 0}, {::time(nullptr) - 60, 0}};
    REQUIRE(::utimensat(AT_FDCWD, f.auditFile().c_str(), old, 0) == 0);
    AuditLog log(f.auditFile());
    auto first = log.newest(1);
    REQUIRE(first.entries.size() == 1);
    CHECK(first.entries[0].detail == "entry 4");
    CHECK(log.newest(1).entries[0].detail == "entry 4");
    log.append(entry("after", 99)); // changes the size: read again
    CHECK(log.newest(1).entries[0].action == "after");
    CHECK(log.newest(3).entries.size() == 3);
}
