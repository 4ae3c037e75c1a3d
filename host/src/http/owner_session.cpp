#include "http/owner_session.hpp"

#include <wildws/secure.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>

namespace wildws::host {
namespace {

struct Sha256 : Poco::SHA2Engine {
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string sha256Hex(const std::string& text) {
    Sha256 engine;
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string hmacHex(const std::string& key, const std::string& text) {
    Poco::HMACEngine<Sha256> hmac(key);
    hmac.update(text);
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::int64_t readExpiry(const std::string& path) {
    std::ifstream in(path);
    std::int64_t v = 0;
    in >> v;
    return v;
}

} // namespace

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

LoginCodes::LoginCodes(std::string home) : dir_(std::move(home) + "/login-codes") {}

std::string LoginCodes::mint(std::chrono::milliseconds ttl) {
    // Never through a planted symlink: the directory is checked (and made 0700).
    if (auto dir = ensurePrivateDir(dir_); !dir.ok()) throw std::runtime_error(dir.error);
    std::string code = randomToken(24);
    writeFileAtomic(dir_ + "/" + sha256Hex(code), std::to_string(nowMs() + ttl.count()) + "\n");
    return code;
}

LoginCodes::Outcome LoginCodes::consume(const std::string& code) {
    if (code.empty() || code.size() > 128) return Outcome::Unknown;
    std::string path = dir_ + "/" + sha256Hex(code);
    std::string used = path + ".used";
    // rename() succeeds for exactly one caller; everyone after finds .used.
    if (::rename(path.c_str(), used.c_str()) != 0) {
        struct stat st {};
        return ::stat(used.c_str(), &st) == 0 ? Outcome::AlreadyUsed : Outcome::Unknown;
    }
    return readExpiry(used) > nowMs() ? Outcome::Ok : Outcome::Expired;
}

void LoginCodes::sweep() {
    if (!ensurePrivateDir(dir_, false).ok()) return; // missing, or not ours to clean
    DIR* d = ::opendir(dir_.c_str());
    if (!d) return;
    auto cutoff = nowMs() - 24LL * 3600 * 1000;
    while (auto* e = ::readdir(d)) {
        if (e->d_name[0] == '.') continue;
        std::string path = dir_ + "/" + e->d_name;
        if (readExpiry(path) < cutoff) ::unlink(path.c_str());
    }
    ::closedir(d);
}

std::string mintSessionCookie(const std::string& shareSecret, std::int64_t expiresAtMs) {
    std::string payload = "v1." + std::to_string(expiresAtMs);
    return payload + "." + hmacHex(shareSecret, payload);
}

bool verifySessionCookie(const std::string& value, const std::string& shareSecret, std::int64_t atMs) {
    auto lastDot = value.rfind('.');
    if (value.rfind("v1.", 0) != 0 || lastDot == std::string::npos || lastDot <= 3) return false;
    std::string payload = value.substr(0, lastDot);
    if (!constantTimeEquals(value.substr(lastDot + 1), hmacHex(shareSecret, payload))) return false;
    try {
        return std::stoll(payload.substr(3)) > atMs;
    } catch (const std::exception&) {
        return false;
    }
}

std::string cookieValue(const std::string& header, const std::string& name) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find(';', pos);
        if (end == std::string::npos) end = header.size();
        std::string item = header.substr(pos, end - pos);
        auto b = item.find_first_not_of(' ');
        if (b != std::string::npos) item = item.substr(b);
        if (item.rfind(name + "=", 0) == 0) return item.substr(name.size() + 1);
        pos = end + 1;
    }
    return {};
}

} // namespace wildws::host
