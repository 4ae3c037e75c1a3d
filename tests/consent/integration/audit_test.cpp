// `wildws support audit`: newest first, --limit, --json, --verify; several
// processes appending at once; a torn last line; tampering; 1M lines.
#include "cli_util.hpp"

#include "audit_gen.hpp"
#include "audit_log.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include <signal.h>
#include <sys/stat.h>

using namespace consent_cli;

namespace {

const char* const kCheck = "\xE2\x9C\x93";
const char* const kCross = "\xE2\x9C\x97";
const char* const kDash = "\xE2\x80\x94";

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser p;
    return p.parse(text).extract<Poco::JSON::Object::Ptr>();
}

void writeLines(const std::string& path, const std::vector<std::string>& lines) {
    std::string text;
    for (auto& l : lines) text += l + "\n";
    wt::writeFile(path, text);
}

} // namespace

TEST_CASE("consent cli: audit is empty at first", "[consent][cli]") {
    Home h;
    auto r = h.run({"support", "audit"});
    CHECK(r.code == 0);
    CHECK(r.out == "no support actions recorded yet.\n");
    auto v = h.run({"support", "audit", "--verify"});
    CHECK(v.code == 0);
    CHECK(v.out == "no support actions recorded yet: nothing to verify.\n");
    auto j = h.run({"support", "audit", "--json"});
    CHECK(j.out == "{\"audit\":[],\"skipped\":0,\"unverified\":0,\"tornTail\":false,\"file\":\"" + h.auditFile() +
                       "\"}\n");
}

TEST_CASE("consent cli: audit lists time, mark, action, tier and actor, newest first", "[consent][cli]") {
    Home h(true);
    REQUIRE(h.run({"support", "allow", "--tier", "2"}, kT0).code == 0);
    REQUIRE(h.run({"consent-probe", "authorize", "--action", "probe-restart", "--tier", "2"}, kT0 + kMinute).code == 0);
    REQUIRE(h.run({"consent-probe", "authorize", "--action", "probe-shell", "--tier", "4"}, kT0 + 2 * kMinute).code == 3);
    REQUIRE(h.run({"support", "revoke"}, kT0 + 5 * kMinute).code == 0);
    auto r = h.run({"support", "audit"});
    CHECK(r.code == 0);
    CHECK(r.out == std::string("recent support actions (newest first):\n") +
                       "  2026-01-01T00:05:00.000Z " + kCheck + " revoke (tier 2) by owner " + kDash +
                       " revoked the live tier 2 grant (55 min were left)\n" +
                       "  2026-01-01T00:02:00.000Z " + kCross + " probe-shell (tier 4) by operator " + kDash +
                       " denied (tier-insufficient): 'probe-shell' needs tier 4, and support access is tier 2\n" +
                       "  2026-01-01T00:01:00.000Z " + kCheck + " probe-restart (tier 2) by operator " + kDash +
                       " allowed by the tier 2 grant (59 min left)\n" +
                       "  2026-01-01T00:00:00.000Z " + kCheck + " grant (tier 2) by owner " + kDash +
                       " for 1h 0m, until 2026-01-01T01:00:00.000Z\n");

    auto one = h.run({"support", "audit", "--limit", "1"});
    CHECK(wt::lines(one.out).size() == 2);
    CHECK(wt::contains(one.out, "revoke (tier 2)"));

    auto j = h.run({"support", "audit", "--json", "--limit", "2"});
    CHECK(j.code == 0);
    auto root = parse(j.out);
    auto entries = root->getArray("audit");
    REQUIRE(entries->size() == 2);
    auto first = entries->getObject(0);
    CHECK(first->getValue<std::string>("action") == "revoke");
    CHECK(first->getValue<std::string>("ts") == "2026-01-01T00:05:00.000Z");
    CHECK(wt::isoMs(first->getValue<std::string>("ts")) == kT0 + 5 * kMinute);
    CHECK(first->getValue<int>("tier") == 2);
    CHECK(first->getValue<bool>("ok"));
    CHECK(first->getValue<std::string>("actor") == "owner");
    CHECK(entries->getObject(1)->getValue<bool>("ok") == false);
    CHECK(root->getValue<bool>("tornTail") == false);

    auto v = h.run({"support", "audit", "--verify"});
    CHECK(v.code == 0);
    CHECK(v.out.rfind(std::string(kCheck) + " audit chain intact: 4 entries, head ", 0) == 0);
}

TEST_CASE("consent cli: audit refuses a bad --limit", "[consent][cli]") {
    Home h;
    for (const char* bad : {"0", "-1", "abc", "10001", "2.5", "99999999999"}) {
        auto r = h.run({"support", "audit", "--limit", bad});
        INFO("--limit " << bad);
        CHECK(r.code == 2);
        CHECK(r.err == "wildws: support audit: limit must be a whole number from 1 to 10000.\n");
        CHECK(r.out.empty());
    }
    auto both = h.run({"support", "audit", "--verify", "--limit", "5"});
    CHECK(both.code == 2);
    CHECK(both.err == "wildws: support audit: --verify checks the whole chain, so it takes no --limit.\n");
    CHECK(h.run({"support", "audit", "--limit", "10000"}).code == 0);
}

TEST_CASE("consent cli: processes appending at once leave every line whole and the chain valid", "[consent][cli]") {
    Home h;
    const int writers = 4, threads = 2, each = 400; // 3200 lines from 8 writers in 4 processes
    const std::string go = h / "go";
    {
        std::vector<std::unique_ptr<wt::Child>> children;
        for (int w = 0; w < writers; ++w)
            children.push_back(std::make_unique<wt::Child>(
                std::vector<std::string>{CONSENT_AUDIT_TOOL, "append", h.auditFile(), std::to_string(each),
                                         "writer" + std::to_string(w), std::to_string(threads), go}));
        wt::writeFile(go, "");
        for (auto& c : children) {
            auto code = c->wait(std::chrono::minutes(4));
            REQUIRE(code.has_value());
            INFO(c->output());
            CHECK(*code == 0);
        }
    }
    auto lines = wt::lines(wt::readFile(h.auditFile()));
    REQUIRE(lines.size() == static_cast<std::size_t>(writers * threads * each));
    std::map<std::string, int> next; // each writer's entries arrive in its own order
    std::string prev = wildws::consent::kGenesisHash, lastActor;
    int switches = 0;
    for (auto& line : lines) {
        std::string why;
        auto parsed = wildws::consent::parseLine(line, why);
        REQUIRE(parsed);
        CHECK(parsed->prev == prev);
        prev = parsed->hash;
        auto& n = next[parsed->entry.actor];
        CHECK(parsed->entry.detail.rfind(parsed->entry.actor + " #" + std::to_string(n) + " ", 0) == 0);
        ++n;
        switches += !lastActor.empty() && lastActor != parsed->entry.actor;
        lastActor = parsed->entry.actor;
    }
    CHECK(next.size() == static_cast<std::size_t>(writers * threads));
    for (auto& [who, n] : next) CHECK(n == each);
    // The writers really did run at the same time (else this proves little).
    INFO("actor switches between consecutive lines: " << switches);
    CHECK(switches >= writers * threads);
    auto v = h.run({"support", "audit", "--verify"});
    CHECK(v.code == 0);
    CHECK(v.out.rfind(std::string(kCheck) + " audit chain intact: 3200 entries, head ", 0) == 0);
}

TEST_CASE("consent cli: a torn last line is skipped, reported by --verify, repaired by the next append", "[consent][cli]") {
    Home h;
    consent_test::generateAudit(h.auditFile(), 5);
    {
        std::ofstream out(h.auditFile(), std::ios::app | std::ios::binary);
        out << "{\"ts\":1767225600000,\"action\":\"gra";
    }
    auto r = h.run({"support", "audit"});
    CHECK(r.code == 0);
    auto lines = wt::lines(r.out);
    REQUIRE(lines.size() == 7);
    CHECK(wt::contains(lines[1], "probe-4 (tier 1) by operator"));
    CHECK(lines[6] == "(the last line of the audit feed is incomplete and was skipped: see 'wildws support audit "
                      "--verify')");
    CHECK(wt::contains(h.run({"support", "audit", "--json"}).out, "\"tornTail\":true"));

    auto v = h.run({"support", "audit", "--verify"});
    CHECK(v.code == 1);
    CHECK(v.out == std::string(kCross) +
                       " audit feed line 6 is incomplete (a crash mid-write?); the next append drops it and records "
                       "that.\n  lines 1-5 verify.\n  file: " + h.auditFile() + "\n");

    REQUIRE(h.run({"support", "allow"}, kT0).code == 0);
    auto fixed = h.run({"support", "audit", "--verify"});
    CHECK(fixed.code == 0);
    CHECK(fixed.out.rfind(std::string(kCheck) + " audit chain intact: 7 entries", 0) == 0);
    auto after = wt::lines(h.run({"support", "audit", "--limit", "2"}).out);
    CHECK(wt::contains(after.at(1), "grant (tier 1) by owner"));
    CHECK(after.at(2) == "  2026-01-01T00:00:00.000Z " + std::string(kCheck) + " audit-repair (tier -) by wildws " +
                             kDash + " dropped an incomplete last line of 33 bytes (a crash mid-write?): "
                                     "{\"ts\":1767225600000,\"action\":\"gra");
}

TEST_CASE("consent cli: writers killed mid-append leave at most a torn tail", "[consent][cli]") {
    Home h;
    std::size_t before = 0;
    for (int round = 0; round < 8; ++round) {
        {
            wt::Child writer({CONSENT_AUDIT_TOOL, "append", h.auditFile(), "100000", "victim", "2"});
            std::this_thread::sleep_for(std::chrono::milliseconds(30 + 17 * round));
            writer.signal(SIGKILL);
            REQUIRE(writer.wait(std::chrono::seconds(30)).has_value());
        }
        auto v = h.run({"support", "audit", "--verify", "--json"});
        auto o = parse(v.out);
        INFO("round " << round << ": " << v.out);
        // Either intact, or intact up to an incomplete last line.
        CHECK((o->getValue<bool>("ok") || o->getValue<bool>("tornTail")));
        auto entries = static_cast<std::size_t>(o->getValue<Poco::UInt64>("entries"));
        CHECK(entries >= before);
        before = entries;
    }
    REQUIRE(h.run({"support", "allow"}).code == 0); // any append repairs a torn tail
    auto v = h.run({"support", "audit", "--verify", "--json"});
    CHECK(parse(v.out)->getValue<bool>("ok"));
}

TEST_CASE("consent cli: --verify names the first tampered line", "[consent][cli]") {
    Home h;
    consent_test::generateAudit(h.auditFile(), 12);
    const auto original = wt::lines(wt::readFile(h.auditFile()));
    auto verify = [&] { return h.run({"support", "audit", "--verify"}); };
    auto expectBroken = [&](int line, const std::string& problem) {
        auto v = verify();
        CHECK(v.code == 1);
        CHECK(v.out == std::string(kCross) + " audit chain broken at line " + std::to_string(line) + ": " + problem +
                           ".\n  lines 1-" + std::to_string(line - 1) + " verify; do not trust line " +
                           std::to_string(line) + " or anything after it.\n  file: " + h.auditFile() + "\n");
    };
    REQUIRE(verify().code == 0);

    SECTION("edit") {
        auto lines = original;
        lines[8].replace(lines[8].find("entry 8"), 7, "entry 9");
        writeLines(h.auditFile(), lines);
        expectBroken(9, "its hash does not match its content (the line was edited)");
    }
    SECTION("delete") {
        auto lines = original;
        lines.erase(lines.begin() + 4);
        writeLines(h.auditFile(), lines);
        expectBroken(5, "it does not follow line 4 (a line was deleted, inserted or reordered here)");
    }
    SECTION("reorder") {
        auto lines = original;
        std::swap(lines[9], lines[10]);
        writeLines(h.auditFile(), lines);
        expectBroken(10, "it does not follow line 9 (a line was deleted, inserted or reordered here)");
    }
    SECTION("json output") {
        auto lines = original;
        lines.erase(lines.begin() + 2);
        writeLines(h.auditFile(), lines);
        auto j = h.run({"support", "audit", "--verify", "--json"});
        CHECK(j.code == 1);
        auto o = parse(j.out);
        CHECK(o->getValue<bool>("ok") == false);
        CHECK(o->getValue<int>("badLine") == 3);
        CHECK(o->getValue<int>("entries") == 2);
        CHECK(o->getValue<std::string>("problem") ==
              "it does not follow line 2 (a line was deleted, inserted or reordered here)");
    }
}

TEST_CASE("consent cli: the newest 20 of a 1M-line audit", "[consent][cli]") {
    Home h;
    const std::size_t n = 1000000;
    consent_test::generateAudit(h.auditFile(), n);
    auto r = h.run({"support", "audit", "--limit", "20", "--json"});
    CHECK(r.code == 0);
    auto entries = parse(r.out)->getArray("audit");
    REQUIRE(entries->size() == 20);
    for (std::size_t k = 0; k < 20; ++k) {
        const std::size_t i = n - 1 - k;
        auto e = entries->getObject(static_cast<unsigned>(k));
        CHECK(wt::isoMs(e->getValue<std::string>("ts")) == consent_test::kGenStartTs + static_cast<long long>(i) * 1000);
        CHECK(e->getValue<std::string>("detail") == "entry " + std::to_string(i));
        CHECK(e->getValue<std::string>("action") == "probe-" + std::to_string(i % 5));
    }
    auto text = wt::lines(h.run({"support", "audit"}).out);
    REQUIRE(text.size() == 21);
    CHECK(text[1] == "  2023-11-26T11:59:59.000Z " + std::string(kCross) + " probe-4 (tier 4) by operator " + kDash +
                         " entry 999999");
}

TEST_CASE("consent cli: every entry is shown however much garbage lies between, with the count", "[consent][cli]") {
    Home h;
    consent_test::generateAudit(h.auditFile(), 3);
    {
        std::ofstream out(h.auditFile(), std::ios::app | std::ios::binary);
        for (int i = 0; i < 12000; ++i) out << "not an entry " << i << "\n";
    }
    // Garbage at the end: the entries before it are still there.
    auto before = h.run({"support", "audit"});
    CHECK(before.code == 0);
    auto lines = wt::lines(before.out);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "recent support actions (newest first):");
    CHECK(wt::contains(lines[1], " entry 2"));
    CHECK(wt::contains(lines[3], " entry 0"));
    CHECK(lines[4] == "(12000 lines of the audit feed are not an audit entry and were skipped: see 'wildws support "
                      "audit --verify')");
    REQUIRE(h.run({"support", "allow"}, kT0).code == 0);
    auto j = parse(h.run({"support", "audit", "--json"}).out);
    auto entries = j->getArray("audit");
    REQUIRE(entries->size() == 4);
    CHECK(entries->getObject(0)->getValue<std::string>("action") == "grant");
    CHECK(entries->getObject(3)->getValue<std::string>("detail") == "entry 0");
    CHECK(j->getValue<int>("skipped") == 12000);
    CHECK(j->getValue<int>("unverified") == 0);

    // Only garbage: not "no support actions recorded yet".
    Home g;
    writeLines(g.auditFile(), {"garbage", "more garbage"});
    ::chmod(g.auditFile().c_str(), 0600);
    auto only = g.run({"support", "audit"});
    CHECK(only.out == "no support actions found in the audit feed.\n(2 lines of the audit feed are not an audit entry "
                      "and were skipped: see 'wildws support audit --verify')\n");
}

TEST_CASE("consent cli: a feed written by the Node tool is listed as unverified, and the chain begins after it",
          "[consent][cli]") {
    Home h;
    // The Node tool's lines: {ts, action, tier, ok, ...}, no prev/hash.
    writeLines(h.auditFile(),
               {R"({"ts":1764000000000,"action":"diagnostics","tier":1,"ok":true})",
                R"({"ts":1764000060000,"action":"restart-sync","tier":2,"ok":false,"error":"sync is not running"})",
                R"({"ts":1764000120000,"action":"logs","tier":1,"ok":true,"args":{"lines":50}})"});
    ::chmod(h.auditFile().c_str(), 0600);
    auto r = h.run({"support", "audit"});
    CHECK(r.code == 0);
    CHECK(r.out == std::string("recent support actions (newest first):\n") + "  2025-11-24T16:02:00.000Z " + kCheck +
                       " logs (tier 1) " + kDash + " {\"args\":{\"lines\":50}} [unverified]\n" +
                       "  2025-11-24T16:01:00.000Z " + kCross + " restart-sync (tier 2) " + kDash +
                       " {\"error\":\"sync is not running\"} [unverified]\n" + "  2025-11-24T16:00:00.000Z " + kCheck +
                       " diagnostics (tier 1) [unverified]\n" +
                       "(3 entries are from before the hash chain (written by an older tool): listed, not verified)\n");
    auto j = parse(h.run({"support", "audit", "--json"}).out);
    CHECK(j->getValue<int>("unverified") == 3);
    CHECK(j->getArray("audit")->getObject(0)->getValue<bool>("unverified"));

    auto v = h.run({"support", "audit", "--verify"});
    CHECK(v.code == 0);
    CHECK(v.out == std::string(kCheck) + " no hash chain yet: the 3 lines are from before it (written by an older "
                                         "tool), not verified; the chain begins with the next entry.\n");

    // wildws appends: the chain begins at line 4, and --verify says so instead of "broken at line 1".
    REQUIRE(h.run({"support", "allow"}, kT0).code == 0);
    REQUIRE(h.run({"support", "revoke"}, kT0 + kMinute).code == 0);
    auto after = h.run({"support", "audit", "--verify"});
    CHECK(after.code == 0);
    auto out = wt::lines(after.out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].rfind(std::string(kCheck) + " audit chain intact: 2 entries from line 4 (where the chain begins), head ",
                       0) == 0);
    CHECK(out[1] == "  lines 1-3 are from before the hash chain (written by an older tool): listed by 'support audit', "
                    "not verified.");
    auto vj = parse(h.run({"support", "audit", "--verify", "--json"}).out);
    CHECK(vj->getValue<bool>("ok"));
    CHECK(vj->getValue<int>("chainStart") == 4);
    CHECK(vj->getValue<int>("legacyLines") == 3);
    auto listed = parse(h.run({"support", "audit", "--json"}).out);
    REQUIRE(listed->getArray("audit")->size() == 5);
    CHECK_FALSE(listed->getArray("audit")->getObject(0)->getValue<bool>("unverified"));
    CHECK(listed->getValue<int>("unverified") == 3);

    // An old-format line after the chain began is a break, named.
    {
        std::ofstream o(h.auditFile(), std::ios::app | std::ios::binary);
        o << R"({"ts":1764000180000,"action":"shell","tier":4,"ok":true})" << "\n";
    }
    auto broken = h.run({"support", "audit", "--verify"});
    CHECK(broken.code == 1);
    CHECK(wt::lines(broken.out).at(0) == std::string(kCross) + " audit chain broken at line 6: a line without "
                                                                "prev/hash after the chain began at line 4 (inserted "
                                                                "by an older tool?).");
}

TEST_CASE("consent cli: a FIFO in place of the audit feed is refused, never waited on", "[consent][cli]") {
    Home h;
    REQUIRE(::mkfifo(h.auditFile().c_str(), 0600) == 0);
    for (auto args : std::vector<std::vector<std::string>>{
             {"support", "audit"}, {"support", "audit", "--verify"}, {"support", "allow"}}) {
        auto r = h.run(args);
        INFO(args.back());
        CHECK(r.code == 1);
        CHECK(wt::contains(r.err, "is not a regular file"));
    }
}
