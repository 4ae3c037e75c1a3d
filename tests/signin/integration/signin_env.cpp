#include "signin_env.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <sys/stat.h>

#include <fstream>

namespace si {

Env::Env() {
    ::mkdir(home.c_str(), 0700);
    ::mkdir(user.c_str(), 0700);
    env = {{"HOME", user}, {"GEMINI_CLI_SYSTEM_SETTINGS_PATH", dir / "none.json"}};
    sets = {"--set", std::string("plugin.agent.claude_path=") + FAKE_SIGNIN_CLAUDE,
            "--set", std::string("plugin.agent.codex_path=") + FAKE_SIGNIN_CODEX,
            "--set", "plugin.agent.kill_grace_ms=300",
            "--set", "plugin.gemini.gemini_path=/nonexistent/gemini"};
}

wt::RunOptions Env::options(const std::string& stdinText) const {
    wt::RunOptions o;
    o.env = env;
    o.unsetEnv = {"ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENAI_API_KEY", "FAKE_SIGNIN_MODE"};
    for (auto& [k, v] : env) o.unsetEnv.erase(std::remove(o.unsetEnv.begin(), o.unsetEnv.end(), k), o.unsetEnv.end());
    o.stdinText = stdinText;
    o.cwd = dir.path();
    return o;
}

wt::Result Env::run(const std::vector<std::string>& args, const std::string& stdinText) const {
    std::vector<std::string> all = sets;
    all.insert(all.end(), args.begin(), args.end());
    return wt::wildws(home, all, options(stdinText));
}

std::unique_ptr<wt::Server> Env::serve() const { return std::make_unique<wt::Server>(home, "serve", sets, options()); }

void Env::signIn() const { wt::writeFile(user + "/.fake-signed-in", "in\n"); }

Poco::JSON::Object::Ptr parse(const std::string& line) {
    return Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr agentRow(const std::string& listJson, const std::string& id) {
    auto agents = parse(listJson)->getArray("agents");
    for (std::size_t i = 0; i < agents->size(); ++i)
        if (agents->getObject(static_cast<unsigned>(i))->getValue<std::string>("id") == id)
            return agents->getObject(static_cast<unsigned>(i));
    return nullptr;
}

bool pidGone(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return true;
    auto close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

bool portFreeNow(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool listening = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return !listening;
}

} // namespace si
