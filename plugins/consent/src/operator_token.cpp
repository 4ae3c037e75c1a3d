#include "operator_token.hpp"

#include "audit_log.hpp"
#include "file_io.hpp"
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <wildws/secure.hpp>

namespace wildws::consent {
namespace {

struct Loaded {
    OperatorState state;
    std::string hash;
};

Loaded load(const std::string& path) {
    Loaded l;
    l.state.file = path;
    auto file = readPrivateFile(path, 4096);
    if (file.missing) return l;
    if (!file.unsafe.empty()) {
        l.state.offReason = "unsafe: it " + file.unsafe;
        return l;
    }
    if (!file.error.empty()) {
        l.state.offReason = "unreadable: it " + file.error;
        return l;
    }
    auto parsed = json::parse(file.content);
    if (!parsed.object) {
        l.state.offReason = "corrupt: " + parsed.error;
        return l;
    }
    auto version = json::getInt(parsed.object, "version");
    auto hash = json::getString(parsed.object, "sha256");
    auto created = json::getInt(parsed.object, "createdAt");
    if (!version || *version != 1) l.state.offReason = "invalid: version must be 1";
    else if (!hash || hash->size() != 64) l.state.offReason = "invalid: sha256 must be a SHA-256 hex digest";
    else if (!created || *created <= 0) l.state.offReason = "invalid: createdAt must be a whole number of ms";
    if (!l.state.offReason.empty()) return l;
    l.hash = *hash;
    l.state.enabled = true;
    l.state.createdAt = *created;
    l.state.fingerprint = sha256Hex(*hash).substr(0, 12);
    return l;
}

} // namespace

OperatorState OperatorTokenStore::status() const { return load(path_).state; }

std::string OperatorTokenStore::enable(std::int64_t nowMs) const {
    std::string token = std::string(kOperatorTokenPrefix) + wildws::randomToken(32);
    auto o = json::object();
    o->set("version", 1);
    o->set("sha256", sha256Hex(token));
    o->set("createdAt", static_cast<Poco::Int64>(nowMs));
    wildws::writeFileAtomic(path_, json::toText(o) + "\n");
    return token;
}

bool OperatorTokenStore::disable() const { return removeDurably(path_); }

bool OperatorTokenStore::matches(std::string_view token) const {
    auto l = load(path_);
    if (!l.state.enabled || token.empty()) return false;
    return wildws::constantTimeEquals(sha256Hex(token), l.hash);
}

} // namespace wildws::consent
