#include "state_files.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wildws::relay {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}

template <class T>
T member(const Poco::JSON::Object::Ptr& o, const char* key, T fallback) {
    try {
        if (o->has(key) && !o->isNull(key)) return o->getValue<T>(key);
    } catch (...) {
    }
    return fallback;
}

} // namespace

bool validInstallId(const std::string& id) {
    return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::optional<std::string> readStateFile(const std::string& path, std::string* why) {
    auto no = [&](std::string w) -> std::optional<std::string> {
        if (why) *why = std::move(w);
        return std::nullopt;
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return no(errno == ELOOP ? "it is a symlink" : std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077)) {
        ::close(fd);
        return no("it is not a regular file of yours with mode 0600");
    }
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < 1 << 20) text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return text;
}

std::string loadOrCreateInstallId(const std::string& home) {
    const std::string path = home + "/" + kInstallIdFile;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        std::string why;
        auto text = readStateFile(path, &why);
        if (!text) throw std::runtime_error(path + ": refused, " + why + " - remove it to make a new install id");
        std::string id = *text;
        while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
        if (!validInstallId(id))
            throw std::runtime_error(path + ": not an install id (32 hex characters) - remove it to make a new one");
        return id;
    }
    unsigned char raw[16];
    if (::getrandom(raw, sizeof raw, 0) != static_cast<ssize_t>(sizeof raw))
        throw std::runtime_error("cannot make an install id: getrandom failed");
    std::string id = hex(raw, sizeof raw);
    // O_EXCL through a link: two processes racing both end with the winner's id.
    const std::string tmp = path + ".new." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(path + ": cannot write it (" + std::strerror(errno) + ")");
    std::string line = id + "\n";
    bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::link(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        if (ok && e == EEXIST) return loadOrCreateInstallId(home);
        throw std::runtime_error(path + ": cannot write it (" + std::strerror(e) + ")");
    }
    ::unlink(tmp.c_str());
    return id;
}

std::string statusJson(const RelayState& s) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("configured", s.configured);
    o.set("connected", s.connected);
    o.set("url", s.url);
    o.set("installId", s.installId);
    o.set("reconnects", static_cast<Poco::Int64>(s.reconnects));
    if (s.lastError.empty()) o.set("lastError", Poco::Dynamic::Var());
    else o.set("lastError", s.lastError);
    if (s.lastRequestAt == 0) o.set("lastRequestAt", Poco::Dynamic::Var());
    else o.set("lastRequestAt", static_cast<Poco::Int64>(s.lastRequestAt));
    o.set("daemonRunning", s.daemonRunning);
    if (s.lastAction.empty()) o.set("lastAction", Poco::Dynamic::Var());
    else o.set("lastAction", s.lastAction);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

void writeStatus(const std::string& home, const StatusRecord& r) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto& s = r.state;
    o.set("version", 1);
    o.set("pid", static_cast<Poco::Int64>(r.pid));
    o.set("updatedAt", static_cast<Poco::Int64>(r.updatedAt));
    o.set("configured", s.configured);
    o.set("connected", s.connected);
    o.set("url", s.url);
    o.set("installId", s.installId);
    o.set("reconnects", static_cast<Poco::Int64>(s.reconnects));
    o.set("lastError", s.lastError);
    o.set("lastRequestAt", static_cast<Poco::Int64>(s.lastRequestAt));
    o.set("lastAction", s.lastAction);
    o.set("lastRequester", s.lastRequester);
    std::ostringstream out;
    o.stringify(out);
    writeFileAtomic(home + "/" + kStatusFile, out.str() + "\n");
}

std::optional<StatusRecord> readStatus(const std::string& home) {
    auto text = readStateFile(home + "/" + kStatusFile);
    if (!text) return std::nullopt;
    try {
        auto o = Poco::JSON::Parser().parse(*text).extract<Poco::JSON::Object::Ptr>();
        if (!o) return std::nullopt;
        StatusRecord r;
        r.pid = static_cast<long>(member<Poco::Int64>(o, "pid", 0));
        r.updatedAt = member<Poco::Int64>(o, "updatedAt", 0);
        r.state.configured = member<bool>(o, "configured", false);
        r.state.connected = member<bool>(o, "connected", false);
        r.state.url = member<std::string>(o, "url", "");
        r.state.installId = member<std::string>(o, "installId", "");
        r.state.reconnects = member<Poco::Int64>(o, "reconnects", 0);
        r.state.lastError = member<std::string>(o, "lastError", "");
        r.state.lastRequestAt = member<Poco::Int64>(o, "lastRequestAt", 0);
        r.state.lastAction = member<std::string>(o, "lastAction", "");
        r.state.lastRequester = member<std::string>(o, "lastRequester", "");
        return r;
    } catch (...) {
        return std::nullopt;
    }
}

AuditCursor readCursor(const std::string& home) {
    AuditCursor c;
    auto text = readStateFile(home + "/" + kCursorFile);
    if (!text) return c;
    try {
        auto o = Poco::JSON::Parser().parse(*text).extract<Poco::JSON::Object::Ptr>();
        c.offset = member<Poco::Int64>(o, "offset", 0);
        c.hash = member<std::string>(o, "hash", "");
        if (c.offset < 0 || (c.offset > 0 && c.hash.size() != 64)) c = {};
    } catch (...) {
        c = {};
    }
    return c;
}

void writeCursor(const std::string& home, const AuditCursor& c) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("version", 1);
    o.set("offset", static_cast<Poco::Int64>(c.offset));
    o.set("hash", c.hash);
    std::ostringstream out;
    o.stringify(out);
    writeFileAtomic(home + "/" + kCursorFile, out.str() + "\n");
}

} // namespace wildws::relay
