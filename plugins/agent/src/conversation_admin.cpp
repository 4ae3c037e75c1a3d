#include "conversation_admin.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>
#include <wildws/secure.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace wildws::agent {
namespace {

namespace json = common::json;

std::string titlePath(const std::string& dir, const std::string& id) { return dir + "/" + id + ".title"; }

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), lowerAscii);
    return s;
}

bool contains(const std::string& haystack, const std::string& lowerNeedle) {
    return lower(haystack).find(lowerNeedle) != std::string::npos;
}

/// True when a prompt line of the transcript contains the needle. Only lines
/// that start as a prompt line are parsed: the chunks are most of the bytes.
bool promptMatches(const std::string& transcript, const std::string& lowerNeedle) {
    std::istringstream in(transcript);
    static const std::string kPrompt = "{\"type\":\"prompt\"";
    for (std::string line; std::getline(in, line);) {
        if (line.compare(0, kPrompt.size(), kPrompt) != 0) continue;
        auto o = json::parseObject(line);
        if (o && contains(json::getString(o, "text").value_or(""), lowerNeedle)) return true;
    }
    return false;
}

void unlinkIfThere(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        throw std::runtime_error("cannot remove " + path + ": " + std::strerror(errno));
}

} // namespace

std::optional<std::string> checkTitle(const std::string& title, std::string& why) {
    std::string t = common::trim(title);
    if (t.empty()) {
        why = "the title is empty";
        return std::nullopt;
    }
    if (t.size() > kMaxTitleBytes) {
        why = "the title is longer than " + std::to_string(kMaxTitleBytes) + " bytes";
        return std::nullopt;
    }
    if (!common::isValidUtf8(t)) {
        why = "the title is not valid UTF-8";
        return std::nullopt;
    }
    if (std::any_of(t.begin(), t.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        why = "the title must be one line without control characters";
        return std::nullopt;
    }
    return t;
}

std::optional<std::string> ownerTitle(const std::string& dir, const std::string& id) {
    int fd = ::open(titlePath(dir, id).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buf[kMaxTitleBytes * 2];
    struct stat st {};
    ssize_t n = -1;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        do n = ::read(fd, buf, sizeof buf);
        while (n < 0 && errno == EINTR);
    }
    ::close(fd);
    if (n <= 0) return std::nullopt;
    std::string why;
    return checkTitle(std::string(buf, static_cast<std::size_t>(n)), why); // a file we did not write is ignored
}

void setOwnerTitle(const std::string& dir, const std::string& id, const std::string& title) {
    writeFileAtomic(titlePath(dir, id), title);
}

bool removeConversation(const std::string& dir, const std::string& id) {
    std::string transcript = dir + "/" + id + ".jsonl";
    if (::unlink(transcript.c_str()) != 0) {
        if (errno == ENOENT) return false;
        throw std::runtime_error("cannot remove " + transcript + ": " + std::strerror(errno));
    }
    unlinkIfThere(dir + "/" + id + ".meta.json");
    unlinkIfThere(titlePath(dir, id));
    return true;
}

std::vector<ConversationMeta> searchConversations(const ConversationStore& store, const std::string& query,
                                                  std::size_t limit) {
    std::string needle = lower(query);
    std::vector<ConversationMeta> out;
    for (auto& meta : store.list(static_cast<std::size_t>(-1))) {
        if (out.size() >= limit) break;
        bool hit = contains(meta.title, needle);
        if (!hit)
            if (auto text = store.transcript(meta.id)) hit = promptMatches(*text, needle);
        if (hit) out.push_back(std::move(meta));
    }
    return out;
}

} // namespace wildws::agent
