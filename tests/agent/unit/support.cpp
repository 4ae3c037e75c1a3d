#include "support.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace at {

std::optional<std::string> MapConfig::get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> MapConfig::keys() const {
    std::vector<std::string> out;
    for (auto& [k, v] : values_) out.push_back(k);
    return out;
}

void TestServices::add(const std::string& id, const std::string& name, std::shared_ptr<void> impl) {
    entries_.push_back({id, name, std::move(impl)});
}

std::shared_ptr<void> TestServices::findRaw(std::string_view id, std::string_view name) const {
    for (auto& e : entries_)
        if (e.id == id && e.name == name) return e.impl;
    return nullptr;
}

std::vector<std::shared_ptr<void>> TestServices::allRaw(std::string_view id) const {
    std::vector<std::shared_ptr<void>> out;
    for (auto& e : entries_)
        if (e.id == id) out.push_back(e.impl);
    return out;
}

std::vector<wildws::Chunk> drain(wildws::AgentSession& s, std::chrono::milliseconds timeout) {
    std::vector<wildws::Chunk> out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto c = s.next(std::chrono::milliseconds(50));
        if (!c) continue;
        out.push_back(*c);
        if (c->type == "end") break;
    }
    return out;
}

std::vector<std::string> types(const std::vector<wildws::Chunk>& chunks) {
    std::vector<std::string> out;
    for (auto& c : chunks) out.push_back(c.type);
    return out;
}

const wildws::Chunk* findType(const std::vector<wildws::Chunk>& chunks, const std::string& type) {
    for (auto& c : chunks)
        if (c.type == type) return &c;
    return nullptr;
}

std::string joinText(const std::vector<wildws::Chunk>& chunks, const std::string& type) {
    std::string out;
    for (auto& c : chunks)
        if (c.type == type) out += c.type == "error" ? c.message + "\n" : c.text;
    return out;
}

std::vector<std::string> transcript(const std::string& name, const std::string& id) {
    std::ifstream in(std::string(AGENT_TRANSCRIPTS) + "/" + name + ".jsonl");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        for (const char* ph : {"SESSION_ID", "THREAD_ID"})
            for (auto p = line.find(ph); p != std::string::npos; p = line.find(ph)) line.replace(p, std::string(ph).size(), id);
        out.push_back(line);
    }
    return out;
}

bool processGone(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    if (!in) return true;
    std::string stat;
    std::getline(in, stat);
    auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return true;
    char state = stat[close + 2];
    return state == 'Z' || state == 'X';
}

bool waitGone(int pid, std::chrono::milliseconds d) {
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        if (processGone(pid)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return processGone(pid);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool waitForFile(const std::string& path, std::chrono::milliseconds d) {
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && st.st_size > 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds d) {
    auto deadline = std::chrono::steady_clock::now() + d;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

} // namespace at
