#include "harness.hpp"

#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace st {

Json parse(const std::string& text) {
    try {
        auto v = Poco::JSON::Parser().parse(text);
        if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
        return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::string str(const Json& o, const std::string& key) {
    if (!o || !o->has(key) || o->isNull(key)) return "";
    return o->get(key).toString();
}

long long num(const Json& o, const std::string& key) {
    if (!o || !o->has(key) || o->isNull(key)) return -999999;
    return o->get(key).convert<long long>();
}

long long timeOf(const Json& o, const std::string& key) {
    if (!o || !o->has(key) || !o->get(key).isString()) return -999999;
    return wt::isoMs(o->getValue<std::string>(key)).value_or(-999999);
}

bool flag(const Json& o, const std::string& key) { return o && o->has(key) && o->get(key).isBoolean() && o->getValue<bool>(key); }

Json obj(const Json& o, const std::string& key) { return o ? o->getObject(key) : nullptr; }

Poco::JSON::Array::Ptr arr(const Json& o, const std::string& key) { return o ? o->getArray(key) : nullptr; }

long long nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Home::Home(const std::string& agentIni) {
    home_ = dir_ / "home";
    wt::run({"/bin/mkdir", "-m", "700", home_});
    std::string ini = "[plugin.agent]\n";
    // The support fixture speaks one-shot `claude -p`; the prompt tests bring
    // the agent plugin's live fake-claude in `agentIni`.
    ini += agentIni.empty() ? std::string("claude_path = ") + SUPPORT_FAKE_AGENT +
                                  "\ndefault_agent = claude\nclaude_interactive = false\n"
                            : agentIni;
    ini += "kill_grace_ms = 500\n";
    wt::writeFile(home_ + "/wildws.ini", ini);
}

wt::Result Home::cli(const std::vector<std::string>& args) const {
    wt::RunOptions o;
    o.unsetEnv = {"WILDWS_TEST_NOW_MS"};
    return wt::wildws(home_, args, o);
}

void Home::allow(int tier, int minutes) const {
    auto r = cli({"support", "allow", "--tier", std::to_string(tier), "--minutes", std::to_string(minutes), "--yes"});
    if (r.code != 0) throw std::runtime_error("support allow failed: " + r.err);
}

void Home::revoke() const {
    auto r = cli({"support", "revoke"});
    if (r.code != 0) throw std::runtime_error("support revoke failed: " + r.err);
}

void Home::writeGrant(int tier, long long expiresInMs, long long grantedAgoMs) const {
    const long long now = nowMs();
    std::ostringstream o;
    o << "{\"version\":1,\"tier\":" << tier << ",\"grantedAt\":" << now - grantedAgoMs
      << ",\"expiresAt\":" << now + expiresInMs
      << ",\"reason\":\"\"}\n";
    // Written next to it, then renamed: a reader never sees half a file.
    wt::writeFile(home_ + "/support-consent.json.tmp", o.str());
    std::rename((home_ + "/support-consent.json.tmp").c_str(), (home_ + "/support-consent.json").c_str());
}

std::string Home::operatorToken() const {
    auto r = cli({"operator", "enable", "--json"});
    auto o = parse(r.out);
    if (r.code != 0 || !o) throw std::runtime_error("operator enable failed: " + r.err);
    return str(o, "token");
}

std::vector<Json> Home::audit() const {
    std::vector<Json> out;
    for (auto& l : wt::lines(wt::readFile(home_ + "/support-audit.jsonl")))
        if (auto o = parse(l)) out.push_back(o);
    return out;
}

std::vector<Json> Home::audit(const std::string& action) const {
    std::vector<Json> out;
    for (auto& e : audit())
        if (str(e, "action") == action) out.push_back(e);
    return out;
}

std::string Home::secret(const std::string& field) const { return wt::jsonField(home_ + "/secrets.json", field); }

std::unique_ptr<wt::Server> serve(const Home& home) { return std::make_unique<wt::Server>(home.path(), "serve"); }
std::unique_ptr<wt::Server> daemon(const Home& home) { return std::make_unique<wt::Server>(home.path(), "daemon"); }

wt::HttpResult ownerGet(const wt::Server& s, const std::string& path) {
    return wt::http(s.port(), "GET", path, {{"Authorization", s.bearer()}});
}

wt::HttpResult ownerPost(const wt::Server& s, const std::string& path, const std::string& body) {
    return wt::http(s.port(), "POST", path, {{"Authorization", s.bearer()}, {"Content-Type", "application/json"}}, body);
}

wt::HttpResult supportPost(const wt::Server& s, const std::string& body, wt::Headers extra) {
    wt::Headers h{{"x-support-secret", s.secret("supportChannelSecret")}, {"Content-Type", "application/json"}};
    h.insert(h.end(), extra.begin(), extra.end());
    return wt::http(s.port(), "POST", "/api/support/agent-task", h, body);
}

wt::HttpResult operatorPost(int port, const std::string& token, const std::string& name, const std::string& argsJson) {
    return wt::http(port, "POST", "/api/support/actions/" + name,
                    {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                    "{\"args\":" + argsJson + "}", std::chrono::seconds(30));
}

std::unique_ptr<wt::HttpStream> openAgentTask(const wt::Server& s, const std::string& body) {
    return std::make_unique<wt::HttpStream>(
        s.port(), wt::rawRequest(s.port(), "POST", "/api/support/agent-task",
                                 {{"x-support-secret", s.secret("supportChannelSecret")},
                                  {"Content-Type", "application/json"}},
                                 body));
}

std::unique_ptr<wt::HttpStream> openAction(int port, const std::string& token, const std::string& name,
                                           const std::string& argsJson) {
    return std::make_unique<wt::HttpStream>(
        port, wt::rawRequest(port, "POST", "/api/support/actions/" + name,
                             {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                             "{\"args\":" + argsJson + "}"));
}

std::vector<std::string> readToEnd(wt::HttpStream& s, std::chrono::milliseconds limit) {
    std::vector<std::string> out;
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto l = s.line(left);
        if (!l) break;
        out.push_back(*l);
    }
    return out;
}

std::string readUntil(wt::HttpStream& s, const std::string& needle, std::vector<std::string>* seen,
                      std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto l = s.line(left);
        if (!l) return "";
        if (seen) seen->push_back(*l);
        if (l->find(needle) != std::string::npos) return *l;
    }
    return "";
}

bool gone(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    // getline, not istreambuf_iterator: a process that exits between open and
    // read makes read() fail with ESRCH, which the iterator turns into a throw.
    std::string stat;
    std::getline(in, stat);
    if (stat.empty()) return true;
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

bool waitGone(int pid, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!gone(pid)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

} // namespace st
