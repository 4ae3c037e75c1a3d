#include "settings.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wildws::relay {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool parseBool(const std::string& v, bool& out) {
    auto l = lower(trim(v));
    if (l == "true" || l == "yes" || l == "on" || l == "1") return out = true, true;
    if (l == "false" || l == "no" || l == "off" || l == "0") return out = false, true;
    return false;
}

std::string octal(mode_t m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
    return buf;
}

} // namespace

bool BrokerSettings::tls() const { return url.rfind("tls://", 0) == 0 || !caFile.empty(); }

std::string BrokerSettings::displayUrl() const {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto at = url.find('@', scheme + 3);
    auto slash = url.find('/', scheme + 3);
    if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
    return url.substr(0, scheme + 3) + url.substr(at + 1);
}

std::string urlHost(const std::string& url) {
    auto scheme = url.find("://");
    std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
    if (auto at = rest.find('@'); at != std::string::npos) rest = rest.substr(at + 1);
    if (auto slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
    if (!rest.empty() && rest[0] == '[') {
        auto close = rest.find(']');
        return close == std::string::npos ? rest.substr(1) : rest.substr(1, close - 1);
    }
    if (auto colon = rest.rfind(':'); colon != std::string::npos) rest = rest.substr(0, colon);
    return rest;
}

bool isLoopbackHost(const std::string& host) {
    auto h = lower(host);
    if (h == "localhost" || h == "::1") return true;
    in_addr a{};
    if (inet_pton(AF_INET, h.c_str(), &a) == 1) return (ntohl(a.s_addr) >> 24) == 127;
    return false;
}

ParsedBroker parseBroker(const KeyLookup& get, const std::string& section) {
    ParsedBroker out;
    auto& s = out.settings;
    auto fail = [&](const std::string& line) {
        out.error = line;
        return out;
    };
    for (const char* inline_ : {"password", "token", "nkey", "seed", "jwt"})
        if (get(inline_))
            return fail(section + " " + inline_ + ": secrets are never read from the ini - put it in a file only you "
                        "can read (chmod 600) and name that file instead (password_file, token_file, nkey_seed, creds)");
    s.url = trim(get("url").value_or(""));
    auto path = [&](const char* key, std::string& into) -> bool {
        into = trim(get(key).value_or(""));
        if (!into.empty() && into[0] != '/') {
            out.error = section + " " + key + " = '" + into + "': must be an absolute path";
            return false;
        }
        return true;
    };
    if (!path("creds", s.credsFile) || !path("nkey_seed", s.nkeySeedFile) || !path("password_file", s.passwordFile) ||
        !path("token_file", s.tokenFile) || !path("ca_file", s.caFile))
        return out;
    s.user = trim(get("user").value_or(""));
    if (auto v = get("allow_insecure"); v && !parseBool(*v, s.allowInsecure))
        return fail(section + " allow_insecure = '" + *v + "': expected true or false");

    int kinds = (!s.credsFile.empty()) + (!s.nkeySeedFile.empty()) + (!s.user.empty() || !s.passwordFile.empty()) +
                (!s.tokenFile.empty());
    if (kinds > 1)
        return fail(section + ": set only one kind of credentials: creds, nkey_seed, user + password_file, or token_file");
    if (!s.user.empty() && s.passwordFile.empty())
        return fail(section + " user = '" + s.user + "': also set password_file (a 0600 file holding the password)");
    if (s.user.empty() && !s.passwordFile.empty())
        return fail(section + " password_file: also set user (the NATS user the password belongs to)");
    if (s.url.empty()) return out;

    if (s.url.find(',') != std::string::npos || s.url.find(' ') != std::string::npos)
        return fail(section + " url = '" + s.url + "': give one broker url (nats://host:4222 or tls://host:4222)");
    const bool nats = s.url.rfind("nats://", 0) == 0, tlsUrl = s.url.rfind("tls://", 0) == 0;
    if (!nats && !tlsUrl)
        return fail(section + " url = '" + s.url + "': must start with nats:// or tls:// (e.g. tls://relay.example.com:4222)");
    auto scheme = s.url.find("://") + 3;
    auto at = s.url.find('@', scheme);
    if (at != std::string::npos)
        return fail(section + " url: credentials inside the url are refused (they would show in logs and status) - "
                    "use user + password_file or token_file");
    const std::string host = urlHost(s.url);
    if (host.empty()) return fail(section + " url = '" + s.url + "': no host in it");
    if (nats && !s.tls() && !isLoopbackHost(host) && !s.allowInsecure)
        return fail(section + " url = '" + s.url + "': refused, a nats:// url to another machine without TLS sends the "
                    "operator token and everything support does in clear text - use tls:// (or set ca_file), or set "
                    "allow_insecure = true to accept that");
    return out;
}

std::optional<std::string> checkSecretFile(const std::string& path, const std::string& what) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return what + " " + path + ": cannot read it (" + std::strerror(errno) + ") - check the path";
    if (S_ISLNK(st.st_mode)) {
        struct stat target {};
        if (::stat(path.c_str(), &target) != 0)
            return what + " " + path + ": a symlink to nothing readable (" + std::strerror(errno) + ")";
        if (target.st_uid != ::geteuid())
            return what + " " + path + ": a symlink to a file owned by someone else (uid " +
                   std::to_string(target.st_uid) + ") - refused; point it at a file of yours";
        st = target;
    }
    if (!S_ISREG(st.st_mode)) return what + " " + path + ": not a regular file";
    if (st.st_uid != ::geteuid())
        return what + " " + path + ": owned by uid " + std::to_string(st.st_uid) + ", not by you - refused";
    if (st.st_mode & 077)
        return what + " " + path + ": readable by others (mode " + octal(st.st_mode) + ") - run: chmod 600 " + path;
    return std::nullopt;
}

std::string readSecretFile(const std::string& path, const std::string& what) {
    if (auto bad = checkSecretFile(path, what)) throw std::runtime_error(*bad);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw std::runtime_error(what + " " + path + ": cannot read it");
    auto v = trim(text.str());
    if (v.empty()) throw std::runtime_error(what + " " + path + ": the file is empty");
    if (v.size() > 64 * 1024) throw std::runtime_error(what + " " + path + ": too large for a secret");
    return v;
}

std::optional<std::string> checkBrokerFiles(const BrokerSettings& s) {
    if (!s.credsFile.empty())
        if (auto bad = checkSecretFile(s.credsFile, "creds")) return bad;
    if (!s.nkeySeedFile.empty())
        if (auto bad = checkSecretFile(s.nkeySeedFile, "nkey_seed")) return bad;
    if (!s.passwordFile.empty())
        if (auto bad = checkSecretFile(s.passwordFile, "password_file")) return bad;
    if (!s.tokenFile.empty())
        if (auto bad = checkSecretFile(s.tokenFile, "token_file")) return bad;
    if (!s.caFile.empty() && ::access(s.caFile.c_str(), R_OK) != 0)
        return "ca_file " + s.caFile + ": cannot read it (" + std::strerror(errno) + ")";
    return std::nullopt;
}

RelaySettings parseRelaySettings(const KeyLookup& get) {
    RelaySettings out;
    auto broker = parseBroker(get, kRelaySection);
    out.broker = broker.settings;
    out.error = broker.error;
    if (!out.error.empty()) return out;
    if (auto v = get("requester_timeout_seconds")) {
        auto t = trim(*v);
        bool digits = !t.empty() && t.size() <= 4 && t.find_first_not_of("0123456789") == std::string::npos;
        int n = digits ? std::stoi(t) : 0;
        if (n < 3 || n > 600)
            out.error = std::string(kRelaySection) + " requester_timeout_seconds = '" + *v +
                        "': expected a whole number of seconds from 3 to 600";
        else out.requesterTimeoutSeconds = n;
    }
    return out;
}

} // namespace wildws::relay
