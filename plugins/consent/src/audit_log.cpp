#include "audit_log.hpp"

#include "file_io.hpp"
#include "format.hpp"
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <map>
#include <mutex>

namespace wildws::consent {

const std::string kGenesisHash(64, '0');

namespace {

constexpr std::size_t kBlock = 64 * 1024;
// No real entry comes near this (fields are capped at a few KiB). A longer
// "line" is garbage: readers skip it without holding it in memory.
constexpr std::size_t kMaxLineBytes = 1 << 20;

// Closes the fd (and so drops its flock) on every path.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void reset(int fd) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

bool preadAll(int fd, char* buf, std::size_t len, off_t at) {
    std::size_t got = 0;
    while (got < len) {
        ssize_t n = ::pread(fd, buf + got, len - got, at + static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
    }
    return true;
}

void lockFd(int fd, int how, const std::string& path) {
    while (::flock(fd, how) != 0) {
        if (errno == EINTR) continue;
        throw AuditError("cannot lock the audit feed " + path + ": " + errnoText(errno));
    }
}

// Lines of a file from the end backwards. If the file does not end with
// '\n', the first line yielded is the incomplete tail (torn() tells).
class ReverseLines {
public:
    ReverseLines(int fd, off_t size) : fd_(fd), pos_(size) {
        if (size <= 0) {
            done_ = true;
            return;
        }
        char last = 0;
        if (!preadAll(fd_, &last, 1, size - 1)) throw AuditError("cannot read the audit feed");
        torn_ = last != '\n';
        if (!torn_) pos_ = size - 1; // the final newline ends the last line
    }
    bool torn() const { return torn_; }

    /// The next line (without '\n') and the offset where it starts. A line
    /// longer than kMaxLineBytes comes back empty (it is not an entry).
    bool next(std::string& line, off_t& start) {
        for (;;) {
            auto nl = pending_.rfind('\n');
            if (nl != std::string::npos) {
                if (overlong_) line.clear();
                else line = pending_.substr(nl + 1);
                overlong_ = false;
                start = pos_ + static_cast<off_t>(nl) + 1;
                pending_.resize(nl);
                return true;
            }
            if (pos_ == 0) {
                if (done_) return false;
                done_ = true;
                if (overlong_) line.clear();
                else line.swap(pending_);
                overlong_ = false;
                pending_.clear();
                start = 0;
                return true;
            }
            if (overlong_ || pending_.size() > kMaxLineBytes) {
                overlong_ = true;
                pending_.clear(); // all of it belongs to the overlong line
            }
            // Small first (the newest entry is a few hundred bytes), then larger.
            std::size_t n = static_cast<std::size_t>(std::min<off_t>(static_cast<off_t>(block_), pos_));
            block_ = std::min(block_ * 2, kBlock);
            pos_ -= static_cast<off_t>(n);
            std::string block(n, '\0');
            if (!preadAll(fd_, block.data(), n, pos_)) throw AuditError("cannot read the audit feed");
            pending_.insert(0, block);
        }
    }

private:
    int fd_;
    off_t pos_;           // pending_ starts at this offset
    std::string pending_; // not yet yielded, without the file's final '\n'
    bool torn_ = false;
    bool done_ = false;
    bool overlong_ = false; // pending_ is the (discarded) start of an overlong line
    std::size_t block_ = 4096;
};

std::string field(const std::string& v) { return std::to_string(v.size()) + ":" + v + "\n"; }

// What identifies one version of the file: an append changes the size, a
// rewrite the inode or the times. (Two rewrites to the same size within one
// timestamp tick would look the same: only a deliberate editor does that,
// and verify() reads the file itself.)
struct FileKey {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    std::int64_t mtimeNs = 0;
    std::int64_t ctimeNs = 0;
    bool operator==(const FileKey& o) const {
        return dev == o.dev && ino == o.ino && size == o.size && mtimeNs == o.mtimeNs && ctimeNs == o.ctimeNs;
    }
};

FileKey keyOf(const struct stat& st) {
    return {st.st_dev, st.st_ino, st.st_size,
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
            static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

// Opens the audit for reading without ever blocking (a FIFO planted in its
// place would block open() forever) and accepts a regular file only.
// Returns -1 with errno ENOENT when there is no file.
int openForReading(const std::string& path, struct stat& st) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return -1;
        throw AuditError("cannot open the audit feed " + path + ": " +
                         (errno == ELOOP ? std::string("it is a symbolic link") : errnoText(errno)));
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw AuditError("the audit feed " + path + " is not a regular file (remove it, or move it away)");
    }
    return fd;
}

} // namespace

struct AuditLog::Cache {
    std::mutex m;
    FileKey key;
    bool valid = false;
    std::map<std::size_t, AuditRead> byLimit; // the few limits callers use (1, 50, 200)
};

AuditLog::AuditLog(std::string path) : path_(std::move(path)), cache_(std::make_shared<Cache>()) {}

std::optional<AuditEntry> parseLegacyLine(std::string_view line) {
    auto parsed = json::parse(line);
    if (!parsed.object) return std::nullopt;
    const auto& o = parsed.object;
    if (o->has("prev") || o->has("hash")) return std::nullopt; // a chained line that failed: not legacy
    auto ts = json::getInt(o, "ts");
    auto action = json::getString(o, "action");
    if (!ts || !action) return std::nullopt;
    AuditEntry e;
    e.ts = *ts;
    e.action = *action;
    auto tier = json::getInt(o, "tier");
    e.tier = tier && *tier >= -1000000 && *tier <= 1000000 ? static_cast<int>(*tier) : 0;
    e.ok = json::getBool(o, "ok").value_or(false);
    e.actor = json::getString(o, "actor").value_or("");
    if (auto detail = json::getString(o, "detail")) {
        e.detail = *detail;
    } else {
        // The Node tool kept what happened in keys of its own (args, error, ...).
        auto rest = json::object();
        for (const auto& k : o->getNames())
            if (k != "ts" && k != "action" && k != "tier" && k != "ok" && k != "actor") rest->set(k, o->get(k));
        if (rest->size() > 0) e.detail = json::toText(rest);
    }
    e = normalizeEntry(e);
    e.legacy = true;
    return e;
}

AuditEntry normalizeEntry(const AuditEntry& entry) {
    AuditEntry e = entry;
    // Bidi controls are written out ("\u202e"): the owner reads these lines
    // on the page and the terminal, where U+202E would reorder them.
    e.action = common::truncateUtf8(neutralizeBidi(common::sanitizeUtf8(entry.action)), kMaxActionBytes);
    e.actor = common::truncateUtf8(neutralizeBidi(common::sanitizeUtf8(entry.actor)), kMaxActorBytes);
    e.detail = common::truncateUtf8(neutralizeBidi(common::sanitizeUtf8(entry.detail)), kMaxDetailBytes);
    return e;
}

std::string sha256Hex(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string chainHash(const std::string& prev, const AuditEntry& e) {
    std::string canonical = "wildws-audit-v1\n";
    canonical += field(prev);
    canonical += field(std::to_string(e.ts));
    canonical += field(e.action);
    canonical += field(std::to_string(e.tier));
    canonical += field(e.ok ? "true" : "false");
    canonical += field(e.actor);
    canonical += field(e.detail);
    return sha256Hex(canonical);
}

std::string formatLine(const AuditEntry& e, const std::string& prev, std::string& hashOut) {
    hashOut = chainHash(prev, e);
    auto o = json::object();
    o->set("ts", static_cast<Poco::Int64>(e.ts));
    o->set("action", e.action);
    o->set("tier", e.tier);
    o->set("ok", e.ok);
    o->set("actor", e.actor);
    o->set("detail", e.detail);
    o->set("prev", prev);
    o->set("hash", hashOut);
    return json::toText(o);
}

std::optional<AuditLine> parseLine(std::string_view line, std::string& why) {
    auto parsed = json::parse(line);
    if (!parsed.object) {
        why = parsed.error;
        return std::nullopt;
    }
    const auto& o = parsed.object;
    static const char* const kKeys[] = {"ts", "action", "tier", "ok", "actor", "detail", "prev", "hash"};
    for (const auto& k : o->getNames()) {
        bool known = false;
        for (auto* want : kKeys) known = known || k == want;
        if (!known) {
            why = "unexpected key '" + printable(k) + "'";
            return std::nullopt;
        }
    }
    AuditLine out;
    auto ts = json::getInt(o, "ts");
    auto tier = json::getInt(o, "tier");
    auto ok = json::getBool(o, "ok");
    auto action = json::getString(o, "action");
    auto actor = json::getString(o, "actor");
    auto detail = json::getString(o, "detail");
    auto prev = json::getString(o, "prev");
    auto hash = json::getString(o, "hash");
    if (!ts) why = "ts is not a whole number";
    else if (!action) why = "action is not a string";
    else if (!tier || *tier < -1000000 || *tier > 1000000) why = "tier is not a small whole number";
    else if (!ok) why = "ok is not true or false";
    else if (!actor) why = "actor is not a string";
    else if (!detail) why = "detail is not a string";
    else if (!prev || prev->size() != 64) why = "prev is not a SHA-256 hex digest";
    else if (!hash || hash->size() != 64) why = "hash is not a SHA-256 hex digest";
    if (!why.empty()) return std::nullopt;
    out.entry.ts = *ts;
    out.entry.action = *action;
    out.entry.tier = static_cast<int>(*tier);
    out.entry.ok = *ok;
    out.entry.actor = *actor;
    out.entry.detail = *detail;
    out.prev = *prev;
    out.hash = *hash;
    return out;
}

void AuditLog::transact(const std::function<std::vector<AuditEntry>()>& during,
                        const std::function<void()>& undo) const {
    Fd fd;
    // Lock the file that is at the path now: if it was replaced between our
    // open() and our lock, try again on the new one.
    for (int attempt = 0;; ++attempt) {
        // O_NONBLOCK: a FIFO in the file's place must not block the writer.
        int raw = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
        if (raw < 0)
            throw AuditError("cannot open the audit feed " + path_ + ": " +
                             (errno == ELOOP ? std::string("it is a symbolic link") : errnoText(errno)));
        fd.reset(raw);
        lockFd(fd.get(), LOCK_EX, path_);
        struct stat held {}, atPath {};
        if (::fstat(fd.get(), &held) != 0) throw AuditError("cannot stat the audit feed " + path_);
        if (!S_ISREG(held.st_mode)) throw AuditError("the audit feed " + path_ + " is not a regular file");
        if (held.st_uid != ::geteuid()) throw AuditError("the audit feed " + path_ + " is not owned by you");
        if (::lstat(path_.c_str(), &atPath) == 0 && atPath.st_ino == held.st_ino && atPath.st_dev == held.st_dev)
            break;
        if (attempt >= 5) throw AuditError("the audit feed " + path_ + " keeps being replaced");
    }
    struct stat st {};
    ::fstat(fd.get(), &st);
    if ((st.st_mode & 077) != 0) ::fchmod(fd.get(), 0600);

    std::vector<AuditEntry> entries = during();
    if (entries.empty()) return;

    auto fail = [&](const std::string& why) {
        if (undo) {
            try {
                undo();
            } catch (...) {
            }
        }
        throw AuditError(why);
    };

    try {
        off_t size = st.st_size;
        std::string prev = kGenesisHash;
        std::vector<AuditEntry> toWrite;
        if (size > 0) {
            ReverseLines lines(fd.get(), size);
            std::string line;
            off_t start = 0;
            if (lines.torn() && lines.next(line, start)) {
                // A crash mid-write left an incomplete line: drop it, and say so.
                if (::ftruncate(fd.get(), start) != 0)
                    fail("cannot repair the audit feed " + path_ + ": " + errnoText(errno));
                AuditEntry repair;
                repair.ts = entries.front().ts;
                repair.action = "audit-repair";
                repair.tier = 0;
                repair.ok = true;
                repair.actor = "wildws";
                repair.detail = "dropped an incomplete last line of " + std::to_string(size - start) +
                                " bytes (a crash mid-write?): " + printable(line.substr(0, 120));
                toWrite.push_back(normalizeEntry(repair));
                size = start;
            }
            if (lines.next(line, start)) {
                std::string why;
                if (auto parsed = parseLine(line, why)) prev = parsed->hash;
                else prev = sha256Hex(line); // keep chaining; --verify names the bad line
            }
        }
        for (auto& e : entries) toWrite.push_back(normalizeEntry(e));

        std::string text;
        for (auto& e : toWrite) {
            std::string hash;
            text += formatLine(e, prev, hash);
            text += '\n';
            prev = hash;
        }
        ssize_t n;
        do {
            n = ::write(fd.get(), text.data(), text.size());
        } while (n < 0 && errno == EINTR);
        if (n != static_cast<ssize_t>(text.size())) {
            int e = n < 0 ? errno : ENOSPC;
            if (n > 0 && ::ftruncate(fd.get(), size) != 0) {
                // The torn line stays; the next writer drops it.
            }
            fail("cannot write the audit feed " + path_ + ": " + errnoText(e));
        }
        if (::fsync(fd.get()) != 0) {
            int e = errno;
            if (::ftruncate(fd.get(), size) != 0) {
            }
            fail("cannot sync the audit feed " + path_ + ": " + errnoText(e));
        }
        if (size == 0) {
            int dfd = ::open(dirOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd >= 0) {
                ::fsync(dfd);
                ::close(dfd);
            }
        }
    } catch (const AuditError&) {
        throw;
    } catch (const std::exception& e) {
        fail(std::string("cannot append to the audit feed: ") + e.what());
    }
}

void AuditLog::append(const AuditEntry& entry) const {
    transact([&] { return std::vector<AuditEntry>{entry}; });
}

AuditRead AuditLog::newest(std::size_t limit) const {
    AuditRead out;
    // A stat says whether the file is the one last read: the status route
    // asks for the newest entry on every request and every 250 ms tick.
    struct stat atPath {};
    if (::lstat(path_.c_str(), &atPath) == 0 && S_ISREG(atPath.st_mode)) {
        std::lock_guard lock(cache_->m);
        if (cache_->valid && cache_->key == keyOf(atPath)) {
            auto it = cache_->byLimit.find(limit);
            if (it != cache_->byLimit.end()) return it->second;
        }
    }
    struct stat st {};
    Fd fd(openForReading(path_, st));
    if (fd.get() < 0) return out;
    ReverseLines lines(fd.get(), st.st_size);
    std::string line;
    off_t start = 0;
    if (lines.torn() && lines.next(line, start)) out.tornTail = true;
    // Every entry, however much that is not one lies between them: the
    // lines that are neither entries nor legacy lines are counted.
    while (out.entries.size() < limit && lines.next(line, start)) {
        std::string why;
        if (auto parsed = parseLine(line, why)) {
            out.entries.push_back(std::move(parsed->entry));
        } else if (auto legacy = parseLegacyLine(line)) {
            out.entries.push_back(std::move(*legacy));
            ++out.legacy;
        } else {
            ++out.skipped;
        }
    }
    // Racy like git's index: a file changed within the last 2 s may change
    // again within the same timestamp tick with the same size, so it is not
    // kept (a feed that is being written is read; an idle one is a stat).
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    const FileKey key = keyOf(st);
    const std::int64_t nowNs = static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
    if (nowNs - std::max(key.mtimeNs, key.ctimeNs) < 2000000000LL) return out;
    std::lock_guard lock(cache_->m);
    if (!cache_->valid || !(cache_->key == key)) {
        cache_->byLimit.clear();
        cache_->key = key;
        cache_->valid = true;
    }
    if (cache_->byLimit.size() < 8) cache_->byLimit[limit] = out;
    return out;
}

AuditVerify AuditLog::verify() const {
    AuditVerify v;
    struct stat st {};
    Fd fd(openForReading(path_, st));
    if (fd.get() < 0) {
        v.missing = true;
        return v;
    }
    lockFd(fd.get(), LOCK_SH, path_);
    std::string lastLegacy; // the raw text of the last legacy line before the chain
    std::string expected = kGenesisHash;
    std::size_t lineNo = 0;
    std::string carry;
    std::string block(1 << 20, '\0');
    auto bad = [&](std::string problem) {
        v.ok = false;
        v.badLine = lineNo;
        v.problem = std::move(problem);
    };
    auto check = [&](std::string_view line) {
        ++lineNo;
        std::string why;
        auto parsed = parseLine(line, why);
        if (!parsed) {
            // Lines from before the chain (the Node tool's) are listed, not
            // verified; after the chain began, one is a break like any other.
            if (v.chainStart == 0 && parseLegacyLine(line)) {
                ++v.legacyLines;
                lastLegacy.assign(line);
                return;
            }
            if (v.chainStart != 0 && parseLegacyLine(line))
                return bad("a line without prev/hash after the chain began at line " + std::to_string(v.chainStart) +
                           " (inserted by an older tool?)");
            return bad("not an audit entry (" + why + ")");
        }
        if (v.chainStart == 0) {
            v.chainStart = lineNo;
            // transact() chains onto a legacy last line by its SHA-256.
            if (v.legacyLines > 0 && parsed->prev == sha256Hex(lastLegacy)) expected = parsed->prev;
        }
        if (parsed->prev != expected) {
            if (lineNo == v.chainStart)
                return bad(v.legacyLines ? "it does not start the chain after the " + std::to_string(v.legacyLines) +
                                               " legacy line(s) before it (lines were removed?)"
                                         : "it does not start the chain (lines were removed from the start?)");
            return bad("it does not follow line " + std::to_string(lineNo - 1) +
                       " (a line was deleted, inserted or reordered here)");
        }
        if (chainHash(parsed->prev, parsed->entry) != parsed->hash)
            return bad("its hash does not match its content (the line was edited)");
        expected = parsed->hash;
        ++v.entries;
    };
    for (;;) {
        ssize_t n = ::read(fd.get(), block.data(), block.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw AuditError("cannot read the audit feed " + path_ + ": " + errnoText(errno));
        if (n == 0) break;
        std::string_view chunk(block.data(), static_cast<std::size_t>(n));
        std::size_t from = 0;
        for (;;) {
            auto nl = chunk.find('\n', from);
            if (nl == std::string_view::npos) {
                carry.append(chunk.substr(from));
                if (carry.size() > kMaxLineBytes) {
                    ++lineNo;
                    bad("not an audit entry (longer than 1 MiB)");
                }
                break;
            }
            if (carry.empty()) {
                check(chunk.substr(from, nl - from));
            } else {
                carry.append(chunk.substr(from, nl - from));
                check(carry);
                carry.clear();
            }
            from = nl + 1;
            if (!v.ok) break;
        }
        if (!v.ok) break;
    }
    if (v.ok && !carry.empty()) {
        ++lineNo;
        v.ok = false;
        v.tornTail = true;
        v.badLine = lineNo;
        v.problem = "it is incomplete (a crash mid-write?); the next append drops it and records that";
    }
    v.head = v.entries ? expected : "";
    return v;
}

} // namespace wildws::consent
