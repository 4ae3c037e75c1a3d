#include "workdir_files.hpp"

#include <wildws/agent_detect.hpp>
#include <wildws/process.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <utility>

namespace wildws::agent {
namespace {

constexpr int kGitTimeoutMs = 2000;
constexpr std::size_t kGitMaxBytes = 16u << 20;
constexpr int kMaxDepth = 24;

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string realPath(const std::string& p) {
    char* r = ::realpath(p.c_str(), nullptr);
    if (!r) return {};
    std::string out = r;
    std::free(r);
    return out;
}

bool safeRelative(const std::string& rel) {
    if (rel.empty() || rel[0] == '/') return false;
    std::size_t start = 0;
    while (start <= rel.size()) {
        auto end = rel.find('/', start);
        if (end == std::string::npos) end = rel.size();
        std::string part = rel.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || part == ".git") return false;
        start = end + 1;
    }
    return true;
}

/// git's view, or nullopt when git is missing or `dir` is not in a work tree.
std::optional<WorkdirFiles> fromGit(const std::string& dir) {
    auto git = wildws::findExecutable("git", {});
    if (!git) return std::nullopt;
    SpawnOptions spawn;
    spawn.argv = {*git, "-C", dir, "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", "ls-files",
                  "-z", "--cached", "--others", "--exclude-standard"};
    spawn.env = {"LANG=C", "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0"};
    for (const char* name : {"PATH", "HOME"})
        if (const char* v = std::getenv(name)) spawn.env.push_back(std::string(name) + "=" + v);
    RunResult run;
    try {
        run = runToEnd(std::move(spawn), std::chrono::milliseconds(kGitTimeoutMs), {}, kGitMaxBytes);
    } catch (const std::exception&) {
        return std::nullopt; // could not start: walk instead
    }
    // not a work tree (128), git refusing the repository, or too slow: walk instead
    if (run.timedOut || run.status.value() != 0) return std::nullopt;
    const std::string* out = &run.out;
    WorkdirFiles r;
    std::size_t start = 0;
    while (start < out->size()) {
        auto end = out->find('\0', start);
        if (end == std::string::npos) { // cut by the byte cap: a torn last path
            r.truncated = true;
            break;
        }
        std::string path = out->substr(start, end - start);
        start = end + 1;
        if (r.files.size() >= kMaxListed) {
            r.truncated = true;
            break;
        }
        // --cached lists a conflicted path once per stage
        if (!path.empty() && (r.files.empty() || r.files.back() != path)) r.files.push_back(std::move(path));
    }
    return r;
}

WorkdirFiles walk(const std::string& dir) {
    WorkdirFiles r;
    std::vector<std::pair<std::string, int>> todo = {{"", 0}}; // relative dir, depth
    while (!todo.empty()) {
        auto [rel, depth] = todo.back();
        todo.pop_back();
        std::string abs = rel.empty() ? dir : dir + "/" + rel;
        int fd = ::open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) continue;
        DIR* d = ::fdopendir(fd);
        if (!d) {
            ::close(fd);
            continue;
        }
        std::vector<std::string> subdirs;
        while (auto* e = ::readdir(d)) {
            std::string name = e->d_name;
            if (name == "." || name == ".." || name == ".git" || name == "node_modules") continue;
            struct stat st {};
            if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
            std::string child = rel.empty() ? name : rel + "/" + name;
            if (S_ISDIR(st.st_mode)) {
                if (depth + 1 < kMaxDepth) subdirs.push_back(child);
            } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
                if (r.files.size() >= kMaxListed) {
                    r.truncated = true;
                    break;
                }
                r.files.push_back(child);
            }
        }
        ::closedir(d);
        if (r.truncated) break;
        std::sort(subdirs.rbegin(), subdirs.rend()); // popped in name order
        for (auto& s : subdirs) todo.emplace_back(s, depth + 1);
    }
    return r;
}

bool wordStart(const std::string& path, std::size_t i) {
    if (i == 0) return true;
    char p = path[i - 1];
    return p == '/' || p == '_' || p == '-' || p == '.' || p == ' ' ||
           (p >= 'a' && p <= 'z' && path[i] >= 'A' && path[i] <= 'Z');
}

} // namespace

WorkdirFiles listWorkdirFiles(const std::string& dir) {
    if (auto g = fromGit(dir)) return std::move(*g);
    return walk(dir);
}

int fuzzyScore(const std::string& path, const std::string& query) {
    if (query.empty()) return 0;
    auto slash = path.rfind('/');
    std::size_t base = slash == std::string::npos ? 0 : slash + 1;
    // Greedy from the end of the query backwards keeps the match in the file
    // name when it can be; then a forward pass scores it.
    std::vector<std::size_t> at(query.size());
    std::size_t qi = query.size();
    for (std::size_t i = path.size(); i-- > 0 && qi > 0;)
        if (lowerAscii(path[i]) == lowerAscii(query[qi - 1])) at[--qi] = i;
    if (qi > 0) return -1;
    int score = 0;
    for (std::size_t k = 0; k < at.size(); ++k) {
        score += 1;
        if (k > 0 && at[k] == at[k - 1] + 1) score += 5;
        if (wordStart(path, at[k])) score += 3;
        if (at[k] >= base) score += 2;
    }
    // Whole query as a substring of the name: the strongest signal.
    std::string lp = path.substr(base), lq = query;
    std::transform(lp.begin(), lp.end(), lp.begin(), lowerAscii);
    std::transform(lq.begin(), lq.end(), lq.begin(), lowerAscii);
    if (lp.find(lq) != std::string::npos) score += 20 + (lp.rfind(lq, 0) == 0 ? 10 : 0);
    return score * 1000 - static_cast<int>(std::min<std::size_t>(path.size(), 999));
}

bool insideDir(const std::string& dir, const std::string& rel) {
    if (!safeRelative(rel)) return false;
    std::string abs = dir + "/" + rel;
    struct stat st {};
    if (::lstat(abs.c_str(), &st) != 0) return false; // listed by git but deleted
    std::string root = realPath(dir);
    std::string real = realPath(abs);
    if (root.empty() || real.empty()) return false;
    if (root != "/" && real.compare(0, root.size() + 1, root + "/") != 0) return false;
    if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    return true;
}

std::vector<std::string> suggestFiles(const std::string& dir, const std::vector<std::string>& all,
                                      const std::string& query, std::size_t limit) {
    std::vector<std::pair<int, const std::string*>> scored;
    for (auto& p : all) {
        int s = query.empty() ? -static_cast<int>(std::min<std::size_t>(p.size(), INT_MAX / 2)) : fuzzyScore(p, query);
        if (s != -1 || query.empty()) scored.emplace_back(s, &p);
    }
    std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) {
        return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    std::vector<std::string> out;
    for (auto& [s, p] : scored) { // checked on disk only as far as needed
        if (out.size() >= limit) break;
        if (insideDir(dir, *p)) out.push_back(*p);
    }
    return out;
}

} // namespace wildws::agent
