#include "agent_env.hpp"

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <functional>
#include <thread>

namespace ai {

std::vector<std::string> fixtureSets(std::map<std::string, std::string> extra) {
    extra.emplace("claude_path", FAKE_CLAUDE);
    extra.emplace("codex_path", FAKE_CODEX);
    extra.emplace("kill_grace_ms", "500");
    std::vector<std::string> out;
    for (auto& [k, v] : extra) {
        out.push_back("--set");
        out.push_back("plugin.agent." + k + "=" + v);
    }
    return out;
}

wt::Result agent(const std::string& home, const std::vector<std::string>& args, const wt::RunOptions& o,
                 std::map<std::string, std::string> extra) {
    auto all = fixtureSets(std::move(extra));
    all.insert(all.end(), args.begin(), args.end());
    return wt::wildws(home, all, o);
}

std::vector<Poco::JSON::Object::Ptr> jsonLines(const std::string& text) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (auto& l : wt::lines(text)) {
        if (l.empty()) continue;
        out.push_back(Poco::JSON::Parser().parse(l).extract<Poco::JSON::Object::Ptr>());
    }
    return out;
}

std::vector<std::string> typesOf(const std::vector<Poco::JSON::Object::Ptr>& lines) {
    std::vector<std::string> out;
    for (auto& o : lines) out.push_back(o->getValue<std::string>("type"));
    return out;
}

Poco::JSON::Object::Ptr readJson(const std::string& path) {
    return Poco::JSON::Parser().parse(wt::readFile(path)).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> stringArray(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    std::vector<std::string> out;
    auto a = o->getArray(key);
    for (std::size_t i = 0; a && i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

Poco::JSON::Object::Ptr parse(const std::string& line) {
    return Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
}

std::vector<Poco::JSON::Object::Ptr> readUntil(wt::HttpStream& st, const std::string& type, std::chrono::milliseconds d) {
    std::vector<Poco::JSON::Object::Ptr> out;
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        auto l = st.line(std::chrono::milliseconds(200));
        if (!l) continue;
        out.push_back(parse(*l));
        if (out.back()->getValue<std::string>("type") == type) break;
    }
    return out;
}

const Poco::JSON::Object::Ptr* find(const std::vector<Poco::JSON::Object::Ptr>& lines, const std::string& type) {
    for (auto& l : lines)
        if (l->getValue<std::string>("type") == type) return &l;
    return nullptr;
}

void checkError(const wt::HttpResult& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    if (r.status == status) CHECK(parse(r.body)->getValue<std::string>("error") == code);
}

bool processGone(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    if (!in) return true;
    std::string stat;
    std::getline(in, stat);
    auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return true;
    return stat[close + 2] == 'Z' || stat[close + 2] == 'X';
}

bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds d) {
    auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
}

bool waitGone(int pid, std::chrono::milliseconds d) {
    return waitFor([pid] { return processGone(pid); }, d);
}

} // namespace ai
