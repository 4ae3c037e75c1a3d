#include "conversation_store.hpp"

#include "conversation_admin.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <wildws/secure.hpp>

#include <Poco/JSON/Object.h>
#include <spdlog/spdlog.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>

namespace wildws::agent {
namespace {

std::string stringify(const Poco::JSON::Object::Ptr& o) {
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

/// The whole file, opened without following a symlink; nullopt when absent
/// or not a regular file.
std::optional<std::string> readRegular(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return std::nullopt;
    }
    std::string out;
    out.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) out.append(buf, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) break;
    }
    ::close(fd);
    return out;
}

std::string titleOf(const std::string& prompt) {
    std::string t = common::trim(prompt);
    t = t.substr(0, t.find('\n'));
    return common::shortenUtf8(common::trim(t), 80);
}

} // namespace

// ---- ConversationMeta ------------------------------------------------------

std::string ConversationMeta::toJson() const {
    auto o = json::object();
    o->set("id", id);
    o->set("agent", agent);
    o->set("title", title);
    o->set("cwd", cwd);
    o->set("mode", mode);
    o->set("resumeId", resumeId);
    o->set("createdAt", createdAt);
    o->set("updatedAt", updatedAt);
    o->set("turns", turns);
    o->set("lastCode", lastCode);
    o->set("lastReason", lastReason);
    return stringify(o);
}

std::optional<ConversationMeta> ConversationMeta::fromJson(const std::string& text) {
    auto o = json::parseObject(text, json::ParseOptions::loose());
    if (!o) return std::nullopt;
    ConversationMeta m;
    m.id = json::getString(o, "id").value_or("");
    if (m.id.empty()) return std::nullopt;
    m.agent = json::getString(o, "agent").value_or("");
    m.title = json::getString(o, "title").value_or("");
    m.cwd = json::getString(o, "cwd").value_or("");
    m.mode = json::getString(o, "mode").value_or("");
    m.resumeId = json::getString(o, "resumeId").value_or("");
    m.createdAt = json::getInt(o, "createdAt").value_or(0);
    m.updatedAt = json::getInt(o, "updatedAt").value_or(0);
    m.turns = static_cast<int>(json::getInt(o, "turns").value_or(0));
    m.lastCode = static_cast<int>(json::getInt(o, "lastCode").value_or(0));
    m.lastReason = json::getString(o, "lastReason").value_or("");
    return m;
}

// ---- TurnRecorder ----------------------------------------------------------

TurnRecorder::TurnRecorder(int fd, std::string metaPath, ConversationMeta meta, std::shared_ptr<spdlog::logger> log)
    : fd_(fd), metaPath_(std::move(metaPath)), meta_(std::move(meta)), log_(std::move(log)) {}

TurnRecorder::~TurnRecorder() {
    if (fd_ >= 0) ::close(fd_);
}

void TurnRecorder::writeAll(const std::string& bytes) {
    if (failed_) return;
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            failed_ = true;
            if (log_) log_->error("conversation {}: cannot append to its transcript: {}", meta_.id, std::strerror(errno));
            return;
        }
    }
}

void TurnRecorder::saveMeta() {
    try {
        writeFileAtomic(metaPath_, meta_.toJson());
    } catch (const std::exception& e) {
        if (log_) log_->error("conversation {}: cannot save {}: {}", meta_.id, metaPath_, e.what());
    }
}

void TurnRecorder::append(const std::vector<Chunk>& chunks) {
    std::string bytes;
    bool ended = false, newResume = false;
    for (auto& c : chunks) {
        bytes += toJson(c);
        bytes += '\n';
        if (!c.resumeId.empty() && c.resumeId != meta_.resumeId) {
            meta_.resumeId = c.resumeId;
            newResume = true;
        }
        if (c.type == "end") {
            ended = true;
            meta_.lastCode = c.code;
            meta_.lastReason = c.reason;
        }
    }
    writeAll(bytes); // one write() per batch: a reader never sees half a line from us
    // The first batch (`start`) is written on the request's thread: the meta
    // file (an fsynced atomic replace) waits for the next batch, which comes
    // from the runner, so it never delays the first line of a chat.
    bool first = appends_++ == 0;
    if (ended) {
        ::fsync(fd_);
        meta_.updatedAt = ConversationStore::nowMs();
        saveMeta();
        metaDirty_ = false;
    } else if (newResume || (metaDirty_ && !first)) {
        saveMeta(); // also: a crash mid-turn must not lose the id the next turn resumes
        metaDirty_ = false;
    }
}

// ---- ConversationStore -----------------------------------------------------

ConversationStore::ConversationStore(std::string dir, std::shared_ptr<spdlog::logger> log)
    : dir_(std::move(dir)), log_(std::move(log)) {}

bool ConversationStore::validId(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

std::int64_t ConversationStore::nowMs() { return common::nowMs(); }

void ConversationStore::ensureDir() const {
    if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create " + dir_ + ": " + std::strerror(errno));
    struct stat st {};
    if (::lstat(dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw std::runtime_error(dir_ + " is not a directory");
    if (st.st_uid != ::geteuid()) throw std::runtime_error(dir_ + " is not owned by this user");
    if ((st.st_mode & 077) != 0) ::chmod(dir_.c_str(), 0700);
}

bool ConversationStore::exists(const std::string& id) const {
    struct stat st {};
    return validId(id) && ::lstat(path(id, ".jsonl").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::optional<ConversationMeta> ConversationStore::load(const std::string& id) const {
    if (!validId(id)) return std::nullopt;
    std::optional<ConversationMeta> m;
    if (auto text = readRegular(path(id, ".meta.json")))
        if (auto x = ConversationMeta::fromJson(*text); x && x->id == id) m = std::move(x);
    if (!m) m = rebuild(id);
    if (m)
        if (auto title = ownerTitle(dir_, id)) m->title = *title; // the owner's rename wins (conversation_admin.hpp)
    return m;
}

std::optional<ConversationMeta> ConversationStore::rebuild(const std::string& id) const {
    auto text = transcript(id);
    if (!text) return std::nullopt;
    ConversationMeta m;
    m.id = id;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
        auto o = json::parseObject(line, json::ParseOptions::loose());
        if (!o) continue;
        std::string type = json::getString(o, "type").value_or("");
        if (type == "prompt") {
            ++m.turns;
            if (m.title.empty()) m.title = titleOf(json::getString(o, "text").value_or(""));
            m.agent = json::getString(o, "agent").value_or(m.agent);
            m.mode = json::getString(o, "mode").value_or(m.mode);
            m.cwd = json::getString(o, "cwd").value_or(m.cwd);
            std::int64_t at = json::getInt(o, "at").value_or(0);
            if (m.createdAt == 0) m.createdAt = at;
            m.updatedAt = std::max(m.updatedAt, at);
            m.lastReason.clear();
            m.lastCode = 0;
        } else if (type == "end") {
            m.lastCode = static_cast<int>(json::getInt(o, "code").value_or(0));
            m.lastReason = json::getString(o, "reason").value_or("");
        }
        std::string resume = json::getString(o, "resumeId").value_or("");
        if (!resume.empty()) m.resumeId = resume;
    }
    struct stat st {};
    if (::stat(path(id, ".jsonl").c_str(), &st) == 0)
        m.updatedAt = std::max<std::int64_t>(m.updatedAt, static_cast<std::int64_t>(st.st_mtime) * 1000);
    return m;
}

std::vector<ConversationMeta> ConversationStore::list(std::size_t limit) const {
    std::vector<ConversationMeta> out;
    DIR* d = ::opendir(dir_.c_str());
    if (!d) return out;
    std::map<std::string, bool> ids;
    while (auto* e = ::readdir(d)) {
        std::string name = e->d_name;
        for (const char* ext : {".jsonl", ".meta.json"}) {
            std::string x = ext;
            if (name.size() > x.size() && name.compare(name.size() - x.size(), x.size(), x) == 0) {
                std::string id = name.substr(0, name.size() - x.size());
                if (validId(id)) ids[id] = true;
            }
        }
    }
    ::closedir(d);
    for (auto& [id, _] : ids)
        if (exists(id))
            if (auto m = load(id)) out.push_back(std::move(*m));
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
        return a.updatedAt != b.updatedAt ? a.updatedAt > b.updatedAt : a.id < b.id;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

std::optional<std::string> ConversationStore::transcript(const std::string& id) const {
    if (!validId(id)) return std::nullopt;
    auto text = readRegular(path(id, ".jsonl"));
    if (!text) return std::nullopt;
    auto lastNl = text->rfind('\n');
    text->resize(lastNl == std::string::npos ? 0 : lastNl + 1);
    return text;
}

std::unique_ptr<TurnRecorder> ConversationStore::beginTurn(const std::string& id, const TurnInfo& turn) {
    if (!validId(id)) throw std::runtime_error("malformed conversation id");
    ensureDir();
    auto meta = load(id).value_or(ConversationMeta{}); // before the file exists: a new one has no meta
    std::string file = path(id, ".jsonl");
    int fd = ::open(file.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + file + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || st.st_nlink != 1) {
        ::close(fd);
        throw std::runtime_error(file + " is not a regular file of ours; refusing to write to it");
    }
    ::fchmod(fd, 0600);

    auto now = nowMs();
    if (meta.id.empty() || meta.turns == 0) {
        meta.id = id;
        meta.createdAt = now;
        meta.title = titleOf(turn.prompt);
    }
    meta.agent = turn.agent;
    meta.mode = turn.mode;
    meta.cwd = turn.cwd;
    meta.updatedAt = now;
    meta.turns += 1;
    meta.lastReason.clear();
    meta.lastCode = 0;
    if (!turn.resumed) meta.resumeId.clear();

    auto prompt = json::object();
    prompt->set("type", "prompt");
    prompt->set("text", turn.prompt);
    prompt->set("agent", turn.agent);
    prompt->set("mode", turn.mode);
    prompt->set("cwd", turn.cwd);
    prompt->set("at", now);
    prompt->set("resumed", turn.resumed);
    if (!turn.notice.empty()) prompt->set("notice", turn.notice);
    std::string line;
    // A crash may have left a torn last line: never glue our line onto it.
    if (st.st_size > 0) {
        char last = '\n';
        if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') line += '\n';
    }
    line += stringify(prompt) + "\n";

    auto rec = std::make_unique<TurnRecorder>(fd, path(id, ".meta.json"), meta, log_);
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        throw std::runtime_error("cannot write to " + file + ": " + std::strerror(errno));
    return rec; // the meta file follows with the turn's first chunks (TurnRecorder::append)
}

} // namespace wildws::agent
