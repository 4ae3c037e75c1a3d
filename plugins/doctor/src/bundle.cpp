#include "bundle.hpp"

#include "files.hpp"

#include <wildws/secure.hpp>

#include <Poco/DeflatingStream.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <sstream>

extern char** environ;

namespace wildws::doctor {
namespace {

constexpr std::size_t kLogLines = 1000;
constexpr std::size_t kTailBytes = 4 << 20; // at most this much of a log is read to find its last lines

std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

bool secretName(const std::string& name) {
    std::string n = lower(name);
    for (const char* word : {"token", "secret", "password", "passwd", "key", "credential", "seed", "creds", "auth",
                             "cookie", "private"})
        if (n.find(word) != std::string::npos) return true;
    return false;
}

/// The end of a file, read without following a symlink.
std::optional<std::string> tail(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return std::nullopt;
    }
    off_t from = st.st_size > static_cast<off_t>(kTailBytes) ? st.st_size - static_cast<off_t>(kTailBytes) : 0;
    std::string out;
    char buf[65536];
    for (off_t at = from;;) {
        ssize_t n = ::pread(fd, buf, sizeof buf, at);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        at += n;
    }
    ::close(fd);
    return out;
}

/// Every secret value wildws knows of, to be scrubbed from what goes out.
std::vector<std::string> knownSecrets(const std::string& home) {
    std::vector<std::string> out;
    StateFileOptions o;
    o.privateOnly = true;
    auto read = readStateFile(home + "/secrets.json", o);
    if (read.ok()) {
        try {
            auto obj = Poco::JSON::Parser().parse(read.content).extract<Poco::JSON::Object::Ptr>();
            for (auto& [name, value] : *obj)
                if (value.isString()) out.push_back(value.toString());
        } catch (const std::exception&) {
        }
    }
    // Environment overrides, and agents' keys (ANTHROPIC_API_KEY, ...).
    for (char** e = environ; e && *e; ++e) {
        std::string entry = *e;
        auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        if (secretName(entry.substr(0, eq))) out.push_back(entry.substr(eq + 1));
    }
    return out;
}

std::string octal(std::uint64_t value, std::size_t width) {
    std::string s(width - 1, '0');
    for (std::size_t i = width - 1; i-- > 0 && value;) {
        s[i] = static_cast<char>('0' + (value & 7));
        value >>= 3;
    }
    return s;
}

void tarEntry(std::string& out, const std::string& name, const std::string& content, std::int64_t mtime) {
    char h[512];
    std::memset(h, 0, sizeof h);
    std::memcpy(h, name.data(), std::min<std::size_t>(name.size(), 99));
    auto put = [&](std::size_t at, const std::string& s) { std::memcpy(h + at, s.data(), s.size()); };
    put(100, octal(0600, 8));
    put(108, octal(0, 8));
    put(116, octal(0, 8));
    put(124, octal(content.size(), 12));
    put(136, octal(static_cast<std::uint64_t>(mtime), 12));
    std::memset(h + 148, ' ', 8); // the checksum counts itself as spaces
    h[156] = '0';
    put(257, std::string("ustar\0", 6));
    put(263, "00");
    put(265, "wildws");
    put(297, "wildws");
    unsigned sum = 0;
    for (unsigned char ch : h) sum += ch;
    put(148, octal(sum, 7));
    h[155] = ' ';
    out.append(h, sizeof h);
    out += content;
    out.append((512 - content.size() % 512) % 512, '\0');
}

/// The operator token is stored only as its SHA-256 (operator.json): any
/// token-like word of `text` with that hash is the token.
std::string scrubHashed(std::string text, const std::string& sha256Hex) {
    if (sha256Hex.size() != 64) return text;
    auto tokenChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
    for (std::size_t i = 0; i < text.size();) {
        if (!tokenChar(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && tokenChar(text[j])) ++j;
        if (j - i >= 16) {
            Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
            engine.update(text.data() + i, static_cast<unsigned>(j - i));
            if (Poco::DigestEngine::digestToHex(engine.digest()) == sha256Hex) {
                text.replace(i, j - i, "[redacted]");
                j = i + 10;
            }
        }
        i = j;
    }
    return text;
}

} // namespace

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
    for (auto& s : secrets) {
        if (s.size() < 6) continue; // "1", "true": not secrets worth hiding, and everywhere
        for (std::size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 10))
            text.replace(at, s.size(), "[redacted]");
    }
    static const std::regex bearer(R"((Bearer\s+)[A-Za-z0-9._~+/=-]{6,})", std::regex::icase);
    static const std::regex assign(R"(((token|secret|password|api[_-]?key)["']?\s*[=:]\s*["']?)[^\s"'&,;]{6,})",
                                   std::regex::icase);
    text = std::regex_replace(text, bearer, "$1[redacted]");
    text = std::regex_replace(text, assign, "$1[redacted]");
    return text;
}

std::string redactIni(const std::string& ini) {
    std::istringstream in(ini);
    std::string out;
    for (std::string line; std::getline(in, line);) {
        auto start = line.find_first_not_of(" \t");
        auto eq = line.find('=');
        if (start != std::string::npos && line[start] != ';' && line[start] != '#' && line[start] != '[' &&
            eq != std::string::npos) {
            std::string key = line.substr(start, eq - start);
            if (secretName(key)) line = line.substr(0, eq + 1) + " [redacted]";
        }
        out += line + "\n";
    }
    return out;
}

std::string lastLines(const std::string& text, std::size_t n) {
    if (n == 0) return {};
    std::size_t end = text.size();
    if (end > 0 && text[end - 1] == '\n') --end;
    std::size_t at = end, count = 0;
    while (at > 0) {
        if (text[at - 1] == '\n' && ++count == n) break;
        --at;
    }
    return text.substr(at);
}

std::vector<BundleFile> bundleFiles(const DoctorContext& c, const Report& report) {
    std::vector<BundleFile> files;
    auto secrets = knownSecrets(c.host.home);
    files.emplace_back("doctor.json", toJson(report) + "\n");

    std::vector<std::string> logs;
    if (DIR* dp = ::opendir((c.host.home + "/logs").c_str())) {
        while (auto* e = ::readdir(dp)) {
            std::string name = e->d_name;
            if (name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0) logs.push_back(name);
        }
        ::closedir(dp);
    }
    std::sort(logs.begin(), logs.end());
    for (auto& name : logs)
        if (auto text = tail(c.host.home + "/logs/" + name)) files.emplace_back("logs/" + name, lastLines(*text, kLogLines));
    if (auto crash = tail(c.host.home + "/crash.log")) files.emplace_back("crash.log", lastLines(*crash, kLogLines));

    if (!c.host.configFile.empty()) {
        StateFileOptions o;
        o.followSymlink = true;
        auto ini = readStateFile(c.host.configFile, o);
        if (ini.ok()) files.emplace_back("wildws.ini", redactIni(ini.content));
    }
    if (c.runWildws) {
        auto plugins = c.runWildws({"plugins", "--json"});
        files.emplace_back("plugins.json", plugins.failure.empty() ? plugins.out : plugins.failure + "\n");
        auto always = c.runWildws({"always-on", "status", "--json"});
        files.emplace_back("always-on-status.json", always.failure.empty() ? always.out + always.err : always.failure + "\n");
    }
    files.emplace_back("README.txt",
                       "wildws doctor bundle. Left out on purpose: secrets.json, tokens, operator.json, chat "
                       "transcripts (sessions/), support recordings (support-sessions/). Values of secret-looking "
                       "config keys and known secret values are replaced by [redacted].\n");
    std::string operatorHash;
    auto op = readJsonFile(c.host.home + "/operator.json", true);
    if (op.json) operatorHash = str(op.json, "sha256");
    for (auto& [name, content] : files) content = scrubHashed(scrub(std::move(content), secrets), operatorHash);
    return files;
}

std::string tarGz(const std::vector<BundleFile>& files, std::int64_t mtime) {
    std::string tar;
    for (auto& [name, content] : files) tarEntry(tar, "wildws-doctor/" + name, content, mtime);
    tar.append(1024, '\0'); // two zero blocks end the archive
    std::ostringstream gz;
    {
        Poco::DeflatingOutputStream z(gz, Poco::DeflatingStreamBuf::STREAM_GZIP);
        z.write(tar.data(), static_cast<std::streamsize>(tar.size()));
        z.close();
    }
    return gz.str();
}

} // namespace wildws::doctor
