#include "log_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace wildws::support {
namespace {

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool rotated(const std::string& channel) {
    // "wildws.1" is a rotated file of "wildws".
    auto dot = channel.rfind('.');
    if (dot == std::string::npos || dot + 1 == channel.size()) return false;
    return std::all_of(channel.begin() + static_cast<std::ptrdiff_t>(dot) + 1, channel.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::vector<std::string> logChannels(const std::string& logsDir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(logsDir.c_str());
    if (!d) return out;
    while (auto* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.size() <= 4 || name[0] == '.' || !endsWith(name, ".log")) continue;
        struct stat st {};
        if (::lstat((logsDir + "/" + name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back(name.substr(0, name.size() - 4));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<std::string> checkChannel(const std::string& logsDir, const std::string& channel) {
    auto all = logChannels(logsDir);
    if (std::find(all.begin(), all.end(), channel) != all.end()) return std::nullopt;
    std::string known;
    for (auto& c : all) known += (known.empty() ? "" : ", ") + c;
    return "channel must be the name of an existing log (" + (known.empty() ? std::string("there are none yet") : known) +
           ")";
}

Tail tailFile(const std::string& file, std::size_t n, std::size_t maxBytes) {
    Tail t;
    int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return t;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return t;
    }
    off_t end = st.st_size;
    std::string data; // the file's tail, growing to the left
    std::size_t newlines = 0;
    const std::size_t block = 65536;
    while (end > 0 && newlines <= n && data.size() < maxBytes) {
        std::size_t want = std::min<std::size_t>(block, static_cast<std::size_t>(end));
        std::string chunk(want, '\0');
        ssize_t got = ::pread(fd, chunk.data(), want, end - static_cast<off_t>(want));
        if (got <= 0) break;
        chunk.resize(static_cast<std::size_t>(got));
        newlines += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
        data.insert(0, chunk);
        end -= static_cast<off_t>(want);
    }
    ::close(fd);
    const bool fromStart = end == 0;
    if (data.size() > maxBytes) data.erase(0, data.size() - maxBytes);
    std::vector<std::string> all;
    std::size_t start = 0;
    for (std::size_t nl; (nl = data.find('\n', start)) != std::string::npos; start = nl + 1)
        all.push_back(data.substr(start, nl - start));
    if (start < data.size()) all.push_back(data.substr(start)); // a last line still being written
    // Unless we read from the file's start, the first piece may be a partial line.
    if (!fromStart && !all.empty()) all.erase(all.begin());
    if (all.size() > n) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(n));
    else if (!fromStart) t.truncated = true;
    t.lines = std::move(all);
    return t;
}

std::vector<LogLine> recentErrors(const std::string& logsDir, std::size_t perChannel, std::size_t total) {
    std::vector<LogLine> out;
    for (auto& channel : logChannels(logsDir)) {
        if (rotated(channel)) continue;
        auto tail = tailFile(logsDir + "/" + channel + ".log", 2000, 512 * 1024);
        std::vector<LogLine> mine;
        for (auto it = tail.lines.rbegin(); it != tail.lines.rend() && mine.size() < perChannel; ++it)
            if (it->find("[error]") != std::string::npos || it->find("[critical]") != std::string::npos)
                mine.push_back(LogLine{channel, *it});
        out.insert(out.end(), mine.begin(), mine.end());
    }
    // Lines start with an ISO timestamp: newest first across channels.
    std::stable_sort(out.begin(), out.end(), [](const LogLine& a, const LogLine& b) { return a.line > b.line; });
    if (out.size() > total) out.resize(total);
    return out;
}

} // namespace wildws::support
