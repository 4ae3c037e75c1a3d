// The sign-in tests' setup: a temp home and $HOME, the fake claude and codex
// as claude_path / codex_path, nothing else that could sign in.
#pragma once

#include <http_client.hpp>
#include <server.hpp>
#include <wildws_test.hpp>

#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace si {

struct Env {
    wt::TempDir dir;
    std::string home = dir / "home";
    std::string user = dir / "user";
    std::map<std::string, std::string> env;
    std::vector<std::string> sets;
    Env();
    wt::RunOptions options(const std::string& stdinText = {}) const;
    wt::Result run(const std::vector<std::string>& args, const std::string& stdinText = {}) const;
    std::unique_ptr<wt::Server> serve() const;
    void signIn() const;
};

Poco::JSON::Object::Ptr parse(const std::string& line);
Poco::JSON::Object::Ptr agentRow(const std::string& listJson, const std::string& id);
bool pidGone(int pid);
/// Nothing accepts connections on 127.0.0.1:port.
bool portFreeNow(int port);

} // namespace si
