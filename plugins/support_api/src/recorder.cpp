#include "recorder.hpp"

#include <wildws/common/json.hpp>
#include "session_id.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace wildws::support {

void ensurePrivateDir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot make " + dir + ": " + std::strerror(errno));
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) throw std::runtime_error("cannot read " + dir + ": " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) throw std::runtime_error(dir + " is not a directory (a symlink or a file?)");
    if (st.st_uid != ::geteuid()) throw std::runtime_error(dir + " belongs to another user");
    if ((st.st_mode & 077) != 0) ::chmod(dir.c_str(), 0700);
}

std::string recordLine(const Chunk& chunk, std::int64_t atMs) {
    auto o = json::parseObject(toJson(chunk));
    if (!o) {
        o = json::object();
        o->set("type", "error");
        o->set("message", "wildws: a chunk could not be recorded as JSON");
    }
    o->set("at", static_cast<Poco::Int64>(atMs));
    return json::toText(o);
}

std::unique_ptr<Recorder> Recorder::create(const std::string& dir, const RecordingInfo& info) {
    ensurePrivateDir(dir);
    const std::string base = sanitizeSessionId(info.taskId);
    for (int attempt = 1; attempt <= 10000; ++attempt) {
        std::string id = candidateId(base, attempt);
        std::string file = dir + "/" + id + ".jsonl";
        int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno == EEXIST) continue;
            throw std::runtime_error("cannot create " + file + ": " + std::strerror(errno));
        }
        std::unique_ptr<Recorder> r(new Recorder(id, file, fd));
        auto header = json::object();
        header->set("type", "task");
        header->set("id", id);
        header->set("taskId", common::sanitizeUtf8(info.taskId));
        header->set("startedAt", static_cast<Poco::Int64>(info.startedAt));
        header->set("mode", info.mode);
        header->set("path", info.path);
        header->set("prompt", common::sanitizeUtf8(info.prompt));
        if (!r->append(json::toText(header))) {
            r->discard();
            throw std::runtime_error("cannot write " + file + ": " + std::strerror(errno));
        }
        r->lines_ = 0; // the header is not a chunk
        return r;
    }
    throw std::runtime_error("too many recordings named " + base + " in " + dir);
}

Recorder::~Recorder() {
    if (fd_ >= 0) ::close(fd_);
}

bool Recorder::append(const std::string& json) { return append(std::vector<std::string>{json}); }

bool Recorder::append(const std::vector<std::string>& jsonLines) {
    if (failed_ || fd_ < 0) return false;
    if (jsonLines.empty()) return true;
    std::string text;
    std::size_t size = 0;
    for (auto& l : jsonLines) size += l.size() + 1;
    text.reserve(size);
    for (auto& l : jsonLines) {
        text += l;
        text += '\n';
    }
    // One write: O_APPEND puts it whole at the end of the file. A short
    // write (disk full) leaves a torn line, so nothing more is written.
    ssize_t n;
    do n = ::write(fd_, text.data(), text.size());
    while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(text.size())) {
        failed_ = true;
        return false;
    }
    lines_ += jsonLines.size();
    return true;
}

void Recorder::finish() {
    if (fd_ >= 0) ::fsync(fd_);
}

void Recorder::discard() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    ::unlink(file_.c_str());
}

} // namespace wildws::support
