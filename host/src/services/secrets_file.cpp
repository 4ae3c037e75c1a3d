#include "services/secrets_file.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace wildws::host {
namespace {

class FileLock {
public:
    explicit FileLock(const std::string& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd_ >= 0) ::flock(fd_, LOCK_EX);
    }
    ~FileLock() {
        if (fd_ >= 0) ::close(fd_); // closing releases the flock
    }

private:
    int fd_ = -1;
};

constexpr std::size_t kMaxSecretLength = 256;

// A secret field: "" when absent (then it is made); a value that is there
// but unusable (not a string, absurdly long, not printable ASCII) is refused:
// quietly replacing it would log everyone out and hide a tampered file.
std::string fieldOr(const Poco::JSON::Object::Ptr& o, const std::string& key, const std::string& path) {
    if (!o || !o->has(key) || o->get(key).isEmpty()) return {};
    const auto& v = o->get(key);
    auto refuse = [&](const std::string& why) {
        return SecretsError(path + ": \"" + key + "\" " + why + " - fix it, or delete the field to make a new one " +
                            "(whoever uses the old value is logged out)");
    };
    if (!v.isString()) throw refuse("is not a string");
    auto s = v.convert<std::string>();
    if (s.size() > kMaxSecretLength)
        throw refuse("is " + std::to_string(s.size()) + " characters long (at most " +
                     std::to_string(kMaxSecretLength) + ")");
    for (unsigned char c : s)
        if (c <= 0x20 || c >= 0x7f) throw refuse("holds a character that is not printable ASCII");
    return s;
}

} // namespace

SecretsFile::SecretsFile(std::string home) : home_(std::move(home)), path_(home_ + "/secrets.json") {}

const SecretValues& SecretsFile::values() const {
    std::lock_guard lock(mutex_);
    if (!cached_) cached_ = loadOrCreate();
    return *cached_;
}

SecretValues SecretsFile::loadOrCreate() const {
    auto refuse = [&](const std::string& why, const std::string& todo) -> SecretsError {
        return SecretsError(path_ + " " + why + " - " + todo);
    };
    FileLock lock(home_ + "/secrets.lock");

    Poco::JSON::Object::Ptr raw = new Poco::JSON::Object;
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) throw refuse("is a symlink, so it may not be ours", "replace it with a regular file");
        if (!S_ISREG(st.st_mode)) throw refuse("is not a regular file", "remove it");
        if (st.st_uid != ::geteuid())
            throw refuse("is owned by uid " + std::to_string(st.st_uid) + ", not you", "chown it or remove it");
        if (st.st_mode & 077) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 0777));
            throw refuse(std::string("is readable or writable by others (mode ") + mode + ")",
                         "run: chmod 600 " + path_ + " (and consider rotating the secrets)");
        }
        int fd = ::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) throw refuse(std::string("cannot be read: ") + std::strerror(errno), "check its permissions");
        std::string text;
        char buf[4096];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
            text.append(buf, static_cast<std::size_t>(n));
            if (text.size() > 64 * 1024) {
                ::close(fd);
                throw refuse("is larger than 64 KiB, which no secrets file is", "fix it or remove it");
            }
        }
        ::close(fd);
        try {
            raw = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
            if (!raw) throw std::runtime_error("not an object");
        } catch (const std::exception&) {
            throw refuse("is not valid JSON", "fix it, or remove it to make new secrets (everyone is logged out)");
        }
    } else if (errno != ENOENT) {
        throw refuse(std::string("cannot be checked: ") + std::strerror(errno), "check the home directory");
    }

    SecretValues v{fieldOr(raw, "partnerToken", path_), fieldOr(raw, "shareSecret", path_),
                   fieldOr(raw, "supportChannelSecret", path_)};
    bool changed = false;
    // Back-fill only what is missing: rotating an existing token would log
    // everyone out and break the daemon's link to the server.
    if (v.partnerToken.empty()) v.partnerToken = randomToken(24), changed = true;
    if (v.shareSecret.empty()) v.shareSecret = randomToken(32), changed = true;
    if (v.supportChannelSecret.empty()) v.supportChannelSecret = randomToken(32), changed = true;
    if (changed) {
        raw->set("partnerToken", v.partnerToken);
        raw->set("shareSecret", v.shareSecret);
        raw->set("supportChannelSecret", v.supportChannelSecret);
        std::ostringstream out;
        raw->stringify(out, 2);
        writeFileAtomic(path_, out.str() + "\n");
    }
    if (const char* env = std::getenv("WILD_WORKSPACE_SHARE_SECRET"); env && *env) v.shareSecret = env;
    if (const char* env = std::getenv("WILD_WORKSPACE_SUPPORT_SECRET"); env && *env) v.supportChannelSecret = env;
    return v;
}

} // namespace wildws::host
