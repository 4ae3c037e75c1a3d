#include "state_files.hpp"

#include <wildws/secure.hpp>

#include <wildws/common/json.hpp>

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

namespace json = wildws::common::json;

} // namespace

bool validInstallId(const std::string& id) {
    return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::optional<std::string> readStateFile(const std::string& path, std::string* why) {
    StateFileOptions o;
    o.privateOnly = true;
    auto r = wildws::readStateFile(path, o);
    if (r.ok()) return r.content;
    if (why) *why = r.error;
    return std::nullopt;
}

std::optional<std::string> loadInstallId(const std::string& home) {
    const std::string path = home + "/" + kInstallIdFile;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
    std::string why;
    auto text = readStateFile(path, &why);
    if (!text) throw std::runtime_error(why + " (it holds the relay's install id; remove it to make a new one)");
    std::string id = *text;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    if (!validInstallId(id))
        throw std::runtime_error(path + ": not an install id (32 hex characters) - remove it to make a new one");
    return id;
}

std::string loadOrCreateInstallId(const std::string& home) {
    const std::string path = home + "/" + kInstallIdFile;
    if (auto existing = loadInstallId(home)) return *existing;
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
    auto o = json::object();
    o->set("configured", s.configured);
    o->set("connected", s.connected);
    o->set("url", s.url);
    o->set("installId", s.installId);
    o->set("reconnects", static_cast<std::int64_t>(s.reconnects));
    if (s.lastError.empty()) o->set("lastError", Poco::Dynamic::Var());
    else o->set("lastError", s.lastError);
    json::setTimeOrNull(o, "lastRequestAt", s.lastRequestAt); // the output edge: ISO (the file keeps ms)
    o->set("daemonRunning", s.daemonRunning);
    if (s.lastAction.empty()) o->set("lastAction", Poco::Dynamic::Var());
    else o->set("lastAction", s.lastAction);
    return json::toText(o);
}

void writeStatus(const std::string& home, const StatusRecord& r) {
    auto o = json::object();
    const auto& s = r.state;
    o->set("version", 1);
    o->set("pid", static_cast<std::int64_t>(r.pid));
    o->set("updatedAt", static_cast<std::int64_t>(r.updatedAt));
    o->set("configured", s.configured);
    o->set("connected", s.connected);
    o->set("url", s.url);
    o->set("installId", s.installId);
    o->set("reconnects", static_cast<std::int64_t>(s.reconnects));
    o->set("lastError", s.lastError);
    o->set("lastRequestAt", static_cast<std::int64_t>(s.lastRequestAt));
    o->set("lastAction", s.lastAction);
    o->set("lastRequester", s.lastRequester);
    writeFileAtomic(home + "/" + kStatusFile, json::toText(o) + "\n");
}

std::optional<StatusRecord> readStatus(const std::string& home) {
    auto text = readStateFile(home + "/" + kStatusFile);
    if (!text) return std::nullopt;
    auto o = json::parseObject(*text);
    if (!o) return std::nullopt;
    StatusRecord r;
    r.pid = static_cast<long>(json::getInt(o, "pid").value_or(0));
    r.updatedAt = json::getInt(o, "updatedAt").value_or(0);
    r.state.configured = json::getBool(o, "configured").value_or(false);
    r.state.connected = json::getBool(o, "connected").value_or(false);
    r.state.url = json::getString(o, "url").value_or("");
    r.state.installId = json::getString(o, "installId").value_or("");
    r.state.reconnects = json::getInt(o, "reconnects").value_or(0);
    r.state.lastError = json::getString(o, "lastError").value_or("");
    r.state.lastRequestAt = json::getInt(o, "lastRequestAt").value_or(0);
    r.state.lastAction = json::getString(o, "lastAction").value_or("");
    r.state.lastRequester = json::getString(o, "lastRequester").value_or("");
    return r;
}

AuditCursor readCursor(const std::string& home) {
    AuditCursor c;
    auto text = readStateFile(home + "/" + kCursorFile);
    if (!text) return c;
    auto o = json::parseObject(*text);
    c.offset = json::getInt(o, "offset").value_or(0);
    c.hash = json::getString(o, "hash").value_or("");
    if (c.offset < 0 || (c.offset > 0 && c.hash.size() != 64)) c = {};
    return c;
}

void writeCursor(const std::string& home, const AuditCursor& c) {
    auto o = json::object();
    o->set("version", 1);
    o->set("offset", static_cast<std::int64_t>(c.offset));
    o->set("hash", c.hash);
    writeFileAtomic(home + "/" + kCursorFile, json::toText(o) + "\n");
}

} // namespace wildws::relay
