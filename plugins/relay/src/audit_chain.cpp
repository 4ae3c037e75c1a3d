#include "audit_chain.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <set>

namespace wildws::relay {
namespace {

std::string field(const std::string& v) { return std::to_string(v.size()) + ":" + v + "\n"; }

} // namespace

std::optional<AuditLineFields> auditLineFields(const std::string& line) {
    try {
        auto o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        if (!o) return std::nullopt;
        AuditLineFields f;
        f.ts = o->getValue<Poco::Int64>("ts");
        f.action = o->getValue<std::string>("action");
        f.tier = o->getValue<Poco::Int64>("tier");
        f.ok = o->getValue<bool>("ok");
        f.actor = o->getValue<std::string>("actor");
        f.detail = o->getValue<std::string>("detail");
        f.prev = o->getValue<std::string>("prev");
        f.hash = o->getValue<std::string>("hash");
        if (f.prev.size() != 64 || f.hash.size() != 64) return std::nullopt;
        return f;
    } catch (...) {
        return std::nullopt;
    }
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
