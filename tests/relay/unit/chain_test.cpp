// The fleet audit copy's chain check (the same rule the consent plugin writes).
#include "audit_chain.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>

#include <sstream>

using namespace wildws::relay;

namespace {

std::string line(const AuditLineFields& f) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("ts", static_cast<Poco::Int64>(f.ts));
    o.set("action", f.action);
    o.set("tier", static_cast<Poco::Int64>(f.tier));
    o.set("ok", f.ok);
    o.set("actor", f.actor);
    o.set("detail", f.detail);
    o.set("prev", f.prev);
    o.set("hash", f.hash);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::vector<std::string> chain(int n) {
    std::vector<std::string> out;
    std::string prev = kGenesisHash;
    for (int i = 0; i < n; ++i) {
        AuditLineFields f;
        f.ts = 1700000000000 + i;
        f.action = i % 2 ? "diagnostics" : "grant";
        f.tier = 1;
        f.ok = true;
        f.actor = "operator";
        f.detail = "entry " + std::to_string(i);
        f.prev = prev;
        f.hash = chainHash(f);
        prev = f.hash;
        out.push_back(line(f));
    }
    return out;
}

} // namespace

TEST_CASE("relay chain: an intact copy passes - replays are skipped", "[relay]") {
    auto lines = chain(5);
    auto c = checkChain(lines);
    CHECK(c.ok);
    CHECK(c.entries == 5);
    CHECK(c.startsAtGenesis);
    lines.push_back(lines[2]);
    c = checkChain(lines);
    CHECK(c.ok);
    CHECK(c.duplicates == 1);
}

TEST_CASE("relay chain: an edited - missing or foreign entry is named", "[relay]") {
    auto lines = chain(4);
    auto edited = lines;
    auto at = edited[2].find("entry 2");
    edited[2].replace(at, 7, "entry X");
    CHECK(checkChain(edited).problem == "entry 3 (grant) does not match its hash: it was edited");
    auto missing = lines;
    missing.erase(missing.begin() + 1);
    CHECK(checkChain(missing).problem ==
          "entry 2 (grant) does not follow the entry before it: entries are missing or reordered");
    auto junk = lines;
    junk.push_back("{\"hello\":1}");
    CHECK(checkChain(junk).problem == "entry 5 is not an audit line");
    auto tail = std::vector<std::string>(lines.begin() + 2, lines.end());
    auto c = checkChain(tail);
    CHECK(c.ok);
    CHECK_FALSE(c.startsAtGenesis);
}
