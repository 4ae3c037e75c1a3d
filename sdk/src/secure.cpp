#include <wildws/secure.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <system_error>
#include <vector>

namespace wildws {

bool constantTimeEquals(std::string_view given, std::string_view expected) {
    if (given.empty() || expected.empty()) return false;
    // Hashing first makes the comparison independent of both lengths.
    auto digest = [](std::string_view s) {
        Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
        engine.update(s.data(), static_cast<unsigned>(s.size()));
        return engine.digest();
    };
    auto a = digest(given);
    auto b = digest(expected);
    volatile unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
    return diff == 0;
}

std::string randomToken(std::size_t bytes) {
    std::vector<char> buf(bytes);
    std::size_t got = 0;
    while (got < bytes) {
        ssize_t n = ::getrandom(buf.data() + got, bytes - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::system_error(errno, std::generic_category(), "getrandom");
        got += static_cast<std::size_t>(n);
    }
    std::ostringstream out;
    Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    enc.rdbuf()->setLineLength(0);
    enc.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    enc.close();
    return out.str();
}

void writeFileAtomic(const std::string& path, std::string_view content) {
    auto fail = [&](const std::string& what) {
        throw std::system_error(errno, std::generic_category(), what + " " + path);
    };
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + randomToken(6);

    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create temp file for");
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            errno = e;
            fail("cannot write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
        int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        errno = e;
        fail("cannot sync");
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        errno = e;
        fail("cannot replace");
    }
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace wildws
