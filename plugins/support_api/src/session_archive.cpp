#include "session_archive.hpp"

#include "session_id.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace wildws::support {
namespace {

struct OpenFile {
    explicit OpenFile(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) {}
    ~OpenFile() {
        if (fd >= 0) ::close(fd);
    }
    int fd;
};

void applyHeader(SessionSummary& s, const json::Object& h) {
    if (!h) return;
    s.taskId = json::getString(h, "taskId").value_or("");
    s.mode = json::getString(h, "mode").value_or("");
    s.path = json::getString(h, "path").value_or("");
    s.startedAt = json::getInt(h, "startedAt").value_or(0);
}

void applyEnd(SessionSummary& s, const json::Object& last) {
    if (last && json::getString(last, "type").value_or("") == "end") {
        s.endedAt = json::getInt(last, "at").value_or(0);
        s.endReason = json::getString(last, "reason").value_or("");
        s.code = static_cast<int>(json::getInt(last, "code").value_or(0));
    } else {
        s.endReason = "unfinished";
    }
}

} // namespace

json::Object summaryJson(const SessionSummary& s) {
    auto o = json::object();
    o->set("id", s.id);
    o->set("taskId", s.taskId);
    o->set("mode", s.mode);
    o->set("path", s.path);
    json::setTimeOrNull(o, "startedAt", s.startedAt);
    json::setTimeOrNull(o, "endedAt", s.endedAt);
    o->set("endReason", s.endReason);
    o->set("code", s.code);
    o->set("chunks", static_cast<Poco::UInt64>(s.chunks));
    o->set("bytes", static_cast<Poco::UInt64>(s.bytes));
    return o;
}

std::optional<SessionSummary> SessionArchive::summarize(const std::string& id) {
    OpenFile f(dir_ + "/" + id + ".jsonl");
    if (f.fd < 0) return std::nullopt;
    struct stat st {};
    if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const std::int64_t mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    {
        std::lock_guard lock(m_);
        auto it = cache_.find(id);
        if (it != cache_.end() && it->second.size == static_cast<std::uint64_t>(st.st_size) &&
            it->second.mtimeNs == mtimeNs)
            return it->second.summary;
    }
    // One pass: count lines, keep the first and the last complete one.
    SessionSummary s;
    s.id = id;
    s.bytes = static_cast<std::uint64_t>(st.st_size);
    std::string first, current, last;
    bool haveFirst = false;
    std::size_t lines = 0;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(f.fd, buf, sizeof buf);
        if (n <= 0) break;
        const char* p = buf;
        const char* end = buf + n;
        while (p < end) {
            auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const char* stop = nl ? nl : end;
            // Only the first line and the running last line are kept whole.
            if (current.size() < (1u << 20)) current.append(p, static_cast<std::size_t>(stop - p));
            if (!nl) break;
            ++lines;
            if (!haveFirst) {
                first = current;
                haveFirst = true;
            }
            last.swap(current);
            current.clear();
            p = nl + 1;
        }
    }
    if (!haveFirst) return std::nullopt;
    auto header = json::parseObject(first);
    if (!header || json::getString(header, "type").value_or("") != "task") return std::nullopt;
    applyHeader(s, header);
    s.chunks = lines - 1;
    applyEnd(s, lines > 1 ? json::parseObject(last) : nullptr);
    std::lock_guard lock(m_);
    cache_[id] = Cached{static_cast<std::uint64_t>(st.st_size), mtimeNs, s};
    return s;
}

std::vector<SessionSummary> SessionArchive::list() {
    std::vector<SessionSummary> out;
    DIR* d = ::opendir(dir_.c_str());
    if (!d) return out;
    std::vector<std::string> ids;
    while (auto* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.size() <= 6 || name.compare(name.size() - 6, 6, ".jsonl") != 0) continue;
        std::string id = name.substr(0, name.size() - 6);
        if (validSessionId(id)) ids.push_back(id);
    }
    ::closedir(d);
    for (auto& id : ids)
        if (auto s = summarize(id)) out.push_back(std::move(*s));
    std::sort(out.begin(), out.end(), [](const SessionSummary& a, const SessionSummary& b) {
        return a.startedAt != b.startedAt ? a.startedAt > b.startedAt : a.id > b.id;
    });
    return out;
}

std::optional<SessionReplay> SessionArchive::read(const std::string& id, std::uint64_t maxBytes) {
    if (!validSessionId(id)) return std::nullopt;
    auto summary = summarize(id);
    if (!summary) return std::nullopt;
    OpenFile f(dir_ + "/" + id + ".jsonl");
    if (f.fd < 0) return std::nullopt;
    SessionReplay r;
    r.summary = *summary;
    r.chunks = json::array();
    std::string pending;
    std::uint64_t total = 0;
    bool first = true;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(f.fd, buf, sizeof buf);
        if (n <= 0) break;
        total += static_cast<std::uint64_t>(n);
        pending.append(buf, static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
            auto line = json::parseObject(std::string_view(pending).substr(start, nl - start));
            if (first) {
                r.header = line;
                first = false;
            } else if (line) {
                r.chunks->add(line);
            }
        }
        pending.erase(0, start);
        if (total >= maxBytes) {
            r.truncated = true;
            break;
        }
    }
    return r;
}

} // namespace wildws::support
