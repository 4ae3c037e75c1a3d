#include <wildws/secure.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

namespace {

std::string octalMode(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string kindOf(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

struct Split {
    std::string dir;
    std::string name;
};

Split splitPath(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return {".", path};
    return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Owner and write-bit rule shared by files and directories (OpenSSH's
// safe_path): yours (root too, for files), never writable by group/others.
FileProblem checkOwnerAndMode(const std::string& path, const struct stat& st, bool allowRoot, bool privateOnly,
                              const char* fixMode, std::string& error) {
    const uid_t me = ::geteuid();
    if (st.st_uid != me && !(allowRoot && st.st_uid == 0)) {
        error = path + " is owned by uid " + std::to_string(st.st_uid) + ", not by you (uid " + std::to_string(me) +
                "), so another user controls it - remove it, or chown it to yourself";
        return FileProblem::Unsafe;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        error = path + " is " + ((st.st_mode & S_IWOTH) ? "world" : "group") + "-writable (mode " +
                octalMode(st.st_mode) + "), so another user could change it - run: chmod " + fixMode + " " + path;
        return FileProblem::Unsafe;
    }
    if (privateOnly && (st.st_mode & (S_IRGRP | S_IROTH))) {
        error = path + " is readable by other users (mode " + octalMode(st.st_mode) + ") - run: chmod " + fixMode +
                " " + path;
        return FileProblem::Unsafe;
    }
    return FileProblem::None;
}

std::string systemError(const std::string& what, const std::string& path, int err) {
    return what + " " + path + ": " + std::strerror(err);
}

// Opens `path` as a directory without following a final symlink and checks
// it; returns the fd (caller closes) or -1 with `problem` and `error` set.
int openCheckedDir(const std::string& path, FileProblem& problem, std::string& error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        struct stat lst {};
        if (e == ENOENT) {
            problem = FileProblem::Missing;
            error = "the directory " + path + " does not exist";
        } else if ((e == ELOOP || e == ENOTDIR) && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
            problem = FileProblem::Symlink;
            error = path + " is a symbolic link where wildws keeps its own directory, so its files would land "
                           "wherever it points - remove the link (wildws recreates the directory)";
        } else if (e == ENOTDIR) {
            problem = FileProblem::NotRegular;
            error = path + " is not a directory - move it away (wildws keeps its state in a directory there)";
        } else {
            problem = FileProblem::Io;
            error = systemError("cannot open the directory", path, e);
        }
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        problem = FileProblem::Io;
        error = systemError("cannot check the directory", path, errno);
        ::close(fd);
        return -1;
    }
    problem = checkOwnerAndMode(path, st, false, false, "700", error);
    if (problem != FileProblem::None) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// A process that no longer exists (kill(pid, 0) says ESRCH).
bool processGone(const std::string& pidText) {
    if (pidText.empty() || pidText.size() > 9 || pidText.find_first_not_of("0123456789") != std::string::npos)
        return false;
    long pid = std::strtol(pidText.c_str(), nullptr, 10);
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

constexpr time_t kStaleTempSeconds = 10;

// Removes <name>.tmp.<pid>.<random> files whose writer is gone (see the
// header). A temp file whose lock is held belongs to a live writer.
void removeStaleTemps(const std::string& dir, const std::string& name) {
    const std::string prefix = name + ".tmp.";
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    const int dfd = ::dirfd(d);
    const time_t now = ::time(nullptr);
    while (auto* e = ::readdir(d)) {
        std::string entry = e->d_name;
        if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
        std::string rest = entry.substr(prefix.size());
        std::string pidText = rest.substr(0, rest.find('.'));
        int fd = ::openat(dfd, entry.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) continue;
        struct stat st {};
        bool ours = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid();
        if (ours && ::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            bool old = now - st.st_mtime > kStaleTempSeconds;
            if (processGone(pidText) || old) ::unlinkat(dfd, entry.c_str(), 0);
        }
        ::close(fd); // drops our lock, if we took it
    }
    ::closedir(d);
}

} // namespace

void writeFileAtomic(const std::string& path, std::string_view content) {
    auto fail = [&](const std::string& what) {
        throw std::system_error(errno, std::generic_category(), what + " " + path);
    };
    const Split where = splitPath(path);
    removeStaleTemps(where.dir, where.name);
    std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + randomToken(6);

    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create temp file for");
    // Held until the file is renamed: tells other writers we are alive.
    ::flock(fd, LOCK_EX | LOCK_NB);
    auto abandon = [&](const std::string& what) {
        int e = errno;
        ::unlink(tmp.c_str());
        ::close(fd);
        errno = e;
        fail(what);
    };
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) abandon("cannot write");
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) abandon("cannot sync");
    if (::rename(tmp.c_str(), path.c_str()) != 0) abandon("cannot replace");
    ::close(fd);
    int dfd = ::open(where.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

StateFileRead readStateFile(const std::string& path, const StateFileOptions& options) {
    StateFileRead r;
    int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (options.followSymlink ? 0 : O_NOFOLLOW);
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) {
        int e = errno;
        struct stat lst {};
        if (e == ENOENT) {
            r.problem = FileProblem::Missing;
            r.error = path + " does not exist";
        } else if (e == ELOOP && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
            r.problem = FileProblem::Symlink;
            r.error = path + " is a symbolic link, and wildws does not read its state through links - remove it";
        } else {
            r.problem = FileProblem::Io;
            r.error = systemError("cannot open", path, e);
        }
        return r;
    }
    auto done = [&](FileProblem p, std::string error) {
        ::close(fd);
        r.problem = p;
        r.error = std::move(error);
        if (p != FileProblem::None) r.content.clear();
        return r;
    };
    struct stat st {};
    if (::fstat(fd, &st) != 0) return done(FileProblem::Io, systemError("cannot check", path, errno));
    if (!S_ISREG(st.st_mode))
        return done(FileProblem::NotRegular, path + " is " + kindOf(st.st_mode) +
                                                 ", not a regular file, so wildws will not read it - remove it");
    std::string error;
    if (auto p = checkOwnerAndMode(path, st, true, options.privateOnly, "600", error); p != FileProblem::None)
        return done(p, error);
    auto tooLarge = [&](unsigned long long size) {
        return done(FileProblem::TooLarge, path + " holds " + std::to_string(size) + " bytes, more than the " +
                                               std::to_string(options.maxBytes) +
                                               " it may hold - it is not a file wildws wrote; move it away");
    };
    if (static_cast<unsigned long long>(st.st_size) > options.maxBytes)
        return tooLarge(static_cast<unsigned long long>(st.st_size));
    // The size can change under us (or lie, as in /proc): read to EOF, capped.
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return done(FileProblem::Io, systemError("cannot read", path, errno));
        if (n == 0) break;
        r.content.append(buf, static_cast<std::size_t>(n));
        if (r.content.size() > options.maxBytes) return tooLarge(r.content.size());
    }
    return done(FileProblem::None, {});
}

AppendFile openAppendFile(const std::string& path) {
    AppendFile r;
    const Split where = splitPath(path);
    int dfd = openCheckedDir(where.dir, r.problem, r.error);
    if (dfd < 0) return r;
    int fd = ::openat(dfd, where.name.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                      0600);
    int e = errno;
    if (fd < 0) {
        struct stat lst {};
        if (e == ELOOP && ::fstatat(dfd, where.name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode)) {
            r.problem = FileProblem::Symlink;
            r.error = path + " is a symbolic link, and wildws never appends through a link (it would write "
                             "wherever the link points) - remove it";
        } else if (e == ENXIO) { // a FIFO nobody reads
            r.problem = FileProblem::NotRegular;
            r.error = path + " is a FIFO, not a regular file, so wildws will not append to it - remove it";
        } else {
            r.problem = FileProblem::Io;
            r.error = systemError("cannot open", path, e);
        }
        ::close(dfd);
        return r;
    }
    ::close(dfd);
    struct stat st {};
    std::string error;
    FileProblem p = FileProblem::None;
    if (::fstat(fd, &st) != 0) {
        p = FileProblem::Io;
        error = systemError("cannot check", path, errno);
    } else if (!S_ISREG(st.st_mode)) {
        p = FileProblem::NotRegular;
        error = path + " is " + kindOf(st.st_mode) + ", not a regular file, so wildws will not append to it - remove it";
    } else {
        p = checkOwnerAndMode(path, st, false, false, "600", error);
    }
    if (p != FileProblem::None) {
        ::close(fd);
        r.problem = p;
        r.error = error;
        return r;
    }
    // Appends then block like any file write would (O_NONBLOCK only guarded the open).
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    r.fd = fd;
    return r;
}

DirCheck ensurePrivateDir(const std::string& path, bool create) {
    DirCheck r;
    int fd = openCheckedDir(path, r.problem, r.error);
    if (fd < 0 && r.problem == FileProblem::Missing && create) {
        // mkdir -p, each missing component 0700.
        for (std::size_t pos = 1;; ++pos) {
            pos = path.find('/', pos);
            std::string part = path.substr(0, pos);
            if (!part.empty() && ::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
                r.problem = FileProblem::Io;
                r.error = systemError("cannot create the directory", part, errno);
                return r;
            }
            if (pos == std::string::npos) break;
        }
        r.created = true;
        fd = openCheckedDir(path, r.problem, r.error);
    }
    if (fd >= 0) ::close(fd);
    return r;
}
} // namespace wildws
