#include "audit_chain.hpp"

#include <Poco/DigestEngine.h>
#include <wildws/common/json.hpp>
#include <Poco/SHA2Engine.h>

#include <set>

namespace wildws::relay {
namespace {

std::string field(const std::string& v) { return std::to_string(v.size()) + ":" + v + "\n"; }

} // namespace

std::optional<AuditLineFields> auditLineFields(const std::string& line) {
    namespace json = wildws::common::json;
    auto o = json::parseObject(line);
    auto ts = json::getInt(o, "ts");
    auto tier = json::getInt(o, "tier");
    auto ok = json::getBool(o, "ok");
    auto action = json::getString(o, "action"), actor = json::getString(o, "actor"),
         detail = json::getString(o, "detail"), prev = json::getString(o, "prev"), hash = json::getString(o, "hash");
    if (!ts || !tier || !ok || !action || !actor || !detail || !prev || !hash || prev->size() != 64 || hash->size() != 64)
        return std::nullopt;
    return AuditLineFields{*ts, *action, *tier, *ok, *actor, *detail, *prev, *hash};
}

std::string chainHash(const AuditLineFields& f) {
    std::string canonical = "wildws-audit-v1\n";
    canonical += field(f.prev);
    canonical += field(std::to_string(f.ts));
    canonical += field(f.action);
    canonical += field(std::to_string(f.tier));
    canonical += field(f.ok ? "true" : "false");
    canonical += field(f.actor);
    canonical += field(f.detail);
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(canonical.data(), static_cast<unsigned>(canonical.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

ChainCheck checkChain(const std::vector<std::string>& lines) {
    ChainCheck c;
    std::set<std::string> seen;
    std::string expectPrev;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto f = auditLineFields(lines[i]);
        const std::string where = "entry " + std::to_string(i + 1);
        if (!f) {
            c.ok = false;
            c.problem = where + " is not an audit line";
            return c;
        }
        if (seen.count(f->hash)) {
            ++c.duplicates;
            continue;
        }
        if (chainHash(*f) != f->hash) {
            c.ok = false;
            c.problem = where + " (" + f->action + ") does not match its hash: it was edited";
            return c;
        }
        if (c.entries == 0) c.startsAtGenesis = f->prev == kGenesisHash;
        else if (f->prev != expectPrev) {
            c.ok = false;
            c.problem = where + " (" + f->action + ") does not follow the entry before it: entries are missing or reordered";
            return c;
        }
        seen.insert(f->hash);
        expectPrev = f->hash;
        ++c.entries;
    }
    return c;
}

} // namespace wildws::relay
