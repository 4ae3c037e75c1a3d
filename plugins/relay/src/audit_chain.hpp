// The audit feed's hash chain, as the consent plugin writes it
// (plugins/consent/README.md): each line {"ts","action","tier","ok","actor",
// "detail","prev","hash"}, `hash` = SHA-256 hex of "wildws-audit-v1\n" and
// then, for prev, ts, action, tier, ok ("true"/"false"), actor and detail,
// "<byte length>:<value>\n". The relay re-derives it to check the fleet copy
// (`wildws remote audit`) without the consent plugin's code; the tests check
// it against lines the consent plugin wrote.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wildws::relay {

struct AuditLineFields {
    std::int64_t ts = 0;
    std::string action;
    std::int64_t tier = 0;
    bool ok = false;
    std::string actor;
    std::string detail;
    std::string prev;
    std::string hash;
};

inline const std::string kGenesisHash(64, '0');

/// The fields of one line, or nullopt when it is not an audit line.
std::optional<AuditLineFields> auditLineFields(const std::string& line);
/// The hash the line's content should have.
std::string chainHash(const AuditLineFields& f);

struct ChainCheck {
    bool ok = true;
    std::size_t entries = 0;     // distinct entries checked
    std::size_t duplicates = 0;  // identical copies skipped (a replay after the dedup window)
    bool startsAtGenesis = false; // the first entry is the feed's first
    std::string problem;         // the first break, one line
};
/// Checks a sequence of lines in stream order: each parses, its hash matches
/// its content, and its prev is the previous entry's hash.
ChainCheck checkChain(const std::vector<std::string>& lines);

} // namespace wildws::relay
