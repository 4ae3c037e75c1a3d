// support-audit.jsonl: the append-only, hash-chained audit feed.
//
// One JSON object per line (keys in this order):
//   {"ts":<ms>,"action":"grant","tier":3,"ok":true,"actor":"owner",
//    "detail":"...","prev":"<hex>","hash":"<hex>"}
// `prev` is the previous line's `hash` (64 zeros on the first line) and
// `hash` = SHA-256 over a length-prefixed encoding of prev and the entry's
// fields (chainHash), so an edited, deleted, inserted or reordered line
// breaks the chain at that line. (A chain alone cannot show that the newest
// lines were cut off, or that the whole file was rewritten.)
//
// WRITERS take flock(LOCK_EX) on the file, compute prev under the lock, do ONE
// write() of the whole text, check its length, fsync, then unlock, so writers
// in any number of processes and threads never interleave. A torn last line
// (a crash mid-write) is dropped by the next writer, which records that it did
// ("audit-repair") before its own entry.
// READERS never lock for the newest-N view: they read backwards from the end,
// so the cost depends on N, not on the file's size, and they skip a torn last
// line. verify() reads everything under LOCK_SH.
#pragma once

#include <wildws/services/consent.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wildws::consent {

constexpr const char* kAuditFileName = "support-audit.jsonl";
constexpr std::size_t kMaxActionBytes = 64;
constexpr std::size_t kMaxActorBytes = 64;
constexpr std::size_t kMaxDetailBytes = 2048;
/// `prev` of the first line.
extern const std::string kGenesisHash;

class AuditError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Valid UTF-8, bidi controls written out as \u202e, and bounded field sizes
/// (action 64, actor 64, detail 2048 bytes).
AuditEntry normalizeEntry(const AuditEntry& entry);
std::string sha256Hex(std::string_view data);
std::string chainHash(const std::string& prev, const AuditEntry& entry);
/// The line (no newline) for a normalized entry; `hashOut` gets its hash.
std::string formatLine(const AuditEntry& entry, const std::string& prev, std::string& hashOut);

struct AuditLine {
    AuditEntry entry;
    std::string prev;
    std::string hash;
};
/// Parses one line strictly (exactly the eight keys, right types). On
/// failure returns nullopt and says why.
std::optional<AuditLine> parseLine(std::string_view line, std::string& why);

/// A line from before the hash chain: a JSON object with a whole-number `ts`
/// and a string `action` but no `prev`/`hash` (what the Node tool wrote:
/// {"ts","action","tier","ok",...}). Its other keys become the detail when
/// it has none. Comes back with `legacy` set; nullopt for anything else.
std::optional<AuditEntry> parseLegacyLine(std::string_view line);

struct AuditRead {
    std::vector<AuditEntry> entries; // newest first; legacy ones have `legacy` set
    bool tornTail = false;           // the last line was incomplete and skipped
    std::size_t skipped = 0;         // complete lines read that were not audit entries
    std::size_t legacy = 0;          // entries shown that are from before the chain (unverified)
};

struct AuditVerify {
    bool missing = false;    // no audit file yet
    bool ok = true;
    std::size_t entries = 0; // chained lines that verified
    std::size_t legacyLines = 0; // lines before the chain begins (legacy, unverified)
    std::size_t chainStart = 0;  // 1-based line the chain begins at; 0 when no chained line
    std::size_t badLine = 0; // 1-based; 0 when none
    std::string problem;     // what is wrong with badLine
    bool tornTail = false;   // badLine is an incomplete last line
    std::string head;        // the last good line's hash
};

class AuditLog {
public:
    explicit AuditLog(std::string path);
    const std::string& path() const { return path_; }

    /// Takes the lock, calls `during` (which may act, e.g. write the grant,
    /// and returns the entries that record it), then appends those entries
    /// with one write and fsync. If `during` throws, nothing is appended and
    /// the exception propagates. If the append fails, `undo` runs (still
    /// under the lock) and AuditError is thrown.
    void transact(const std::function<std::vector<AuditEntry>()>& during,
                  const std::function<void()>& undo = {}) const;
    /// One entry. Throws AuditError.
    void append(const AuditEntry& entry) const;
    /// The newest `limit` entries, newest first: every entry, however many
    /// lines that are not entries sit between them (they are counted in
    /// `skipped`), and legacy lines listed as such. Throws AuditError if the
    /// file exists but cannot be read. Kept until the file changes (device,
    /// inode, size, mtime, ctime): a status read of the newest entry costs a
    /// stat, whatever the file's size.
    AuditRead newest(std::size_t limit) const;
    /// Checks the whole chain; names the first bad line. Legacy lines before
    /// the first chained line are counted, not failed: the chain begins
    /// after them (its first `prev` is 64 zeros, or the hash of the legacy
    /// line before it, as transact() writes it).
    AuditVerify verify() const;

private:
    struct Cache;
    std::string path_;
    std::shared_ptr<Cache> cache_;
};

} // namespace wildws::consent
