#include "http/owner_session.hpp"

#include <wildws/secure.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <stdexcept>

namespace wildws::host {
namespace {

std::string sha256Hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

// The expiry in a code or session file; 0 when it cannot be read or is not
// a small private regular file of ours (never a symlink, FIFO or device).
std::int64_t readExpiry(const std::string& path) {
    StateFileOptions options;
    options.maxBytes = 64;
    options.privateOnly = true;
    auto file = readStateFile(path, options);
    std::int64_t v = 0;
    if (!file.ok()) return 0;
    for (std::size_t i = 0; i < file.content.size() && i < 18 && std::isdigit(static_cast<unsigned char>(file.content[i]));
         ++i)
        v = v * 10 + (file.content[i] - '0');
    return v;
}

void requirePrivateDir(const std::string& dir) {
    auto check = ensurePrivateDir(dir);
    if (!check.ok()) throw std::runtime_error(check.error);
}

bool plausibleToken(const std::string& t) { return !t.empty() && t.size() <= 128; }

void sweepDir(const std::string& dir, std::int64_t cutoff) {
    if (!ensurePrivateDir(dir, false).ok()) return; // missing, or not ours to clean
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    while (auto* e = ::readdir(d)) {
        if (e->d_name[0] == '.') continue;
        std::string path = dir + "/" + e->d_name;
        if (readExpiry(path) < cutoff) ::unlink(path.c_str());
    }
    ::closedir(d);
}

} // namespace

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string> bearerToken(const std::optional<std::string>& auth) {
    if (!auth || auth->size() < 7) return std::nullopt;
    std::string scheme = auth->substr(0, 7);
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return std::nullopt;
    std::string token = auth->substr(7);
    while (!token.empty() && token.front() == ' ') token.erase(0, 1);
    return token;
}

LoginCodes::LoginCodes(std::string home) : dir_(std::move(home) + "/login-codes") {}

std::string LoginCodes::mint(std::chrono::milliseconds ttl) {
    requirePrivateDir(dir_);
    std::string code = randomToken(24);
    writeFileAtomic(dir_ + "/" + sha256Hex(code), std::to_string(nowMs() + ttl.count()) + "\n");
    return code;
}

LoginCodes::Outcome LoginCodes::peek(const std::string& code) const {
    if (!plausibleToken(code)) return Outcome::Unknown;
    std::string path = dir_ + "/" + sha256Hex(code);
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) return readExpiry(path) > nowMs() ? Outcome::Ok : Outcome::Expired;
    return ::lstat((path + ".used").c_str(), &st) == 0 ? Outcome::AlreadyUsed : Outcome::Unknown;
}

LoginCodes::Outcome LoginCodes::consume(const std::string& code) {
    if (!plausibleToken(code)) return Outcome::Unknown;
    std::string path = dir_ + "/" + sha256Hex(code);
    std::string used = path + ".used";
    // rename() succeeds for exactly one caller; everyone after finds .used.
    if (::rename(path.c_str(), used.c_str()) != 0) {
        struct stat st {};
        return ::lstat(used.c_str(), &st) == 0 ? Outcome::AlreadyUsed : Outcome::Unknown;
    }
    return readExpiry(used) > nowMs() ? Outcome::Ok : Outcome::Expired;
}

void LoginCodes::sweep() { sweepDir(dir_, nowMs() - 24LL * 3600 * 1000); }

OwnerSessions::OwnerSessions(std::string home) : dir_(std::move(home) + "/login-sessions") {}

OwnerSessions::Minted OwnerSessions::mint(std::chrono::milliseconds ttl) {
    requirePrivateDir(dir_);
    Minted m{randomToken(32), nowMs() + ttl.count()};
    writeFileAtomic(dir_ + "/" + sha256Hex(m.token), std::to_string(m.expiresAtMs) + "\n");
    return m;
}

bool OwnerSessions::valid(const std::string& token) const {
    // The file is named by the token's hash: looking it up reveals nothing
    // about the token through timing.
    if (!plausibleToken(token)) return false;
    return readExpiry(dir_ + "/" + sha256Hex(token)) > nowMs();
}

bool OwnerSessions::revoke(const std::string& token) {
    if (!plausibleToken(token)) return false;
    return ::unlink((dir_ + "/" + sha256Hex(token)).c_str()) == 0;
}

void OwnerSessions::sweep() { sweepDir(dir_, nowMs()); }

} // namespace wildws::host
