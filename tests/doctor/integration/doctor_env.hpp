// A home for `wildws doctor`: the fake claude (tests/signin) signed in,
// codex and gemini not installed, so a fresh home passes every check.
#pragma once

#include <wildws_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sys/stat.h>

#include <map>
#include <string>
#include <vector>

namespace dr {

struct Env {
    wt::TempDir dir;
    std::string home = dir / "home";
    std::string user = dir / "user";
    std::map<std::string, std::string> env;
    std::vector<std::string> sets;
    Env() {
        ::mkdir(home.c_str(), 0700);
        ::mkdir(user.c_str(), 0700);
        env = {{"HOME", user}, {"GEMINI_CLI_SYSTEM_SETTINGS_PATH", dir / "none.json"}};
        sets = {"--set", std::string("plugin.agent.claude_path=") + FAKE_SIGNIN_CLAUDE,
                "--set", "plugin.agent.codex_path=/nonexistent/codex",
                "--set", "plugin.gemini.gemini_path=/nonexistent/gemini"};
        wt::writeFile(user + "/.fake-signed-in", "in\n");
    }
    wt::RunOptions options() const {
        wt::RunOptions o;
        o.env = env;
        o.unsetEnv = {"GEMINI_API_KEY", "WILD_WORKSPACE_HOME"};
        o.cwd = dir.path();
        return o;
    }
    wt::Result run(std::vector<std::string> args) const {
        std::vector<std::string> all = sets;
        all.insert(all.end(), args.begin(), args.end());
        return wt::wildws(home, all, options());
    }
    /// `doctor --json`: the check with this id (null when absent), and the exit code.
    Poco::JSON::Object::Ptr check(const std::string& id, int* code = nullptr, std::vector<std::string> extra = {}) const {
        extra.push_back("doctor");
        extra.push_back("--json");
        auto r = run(extra);
        if (code) *code = r.code;
        auto root = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
        auto checks = root->getArray("checks");
        for (std::size_t i = 0; i < checks->size(); ++i)
            if (checks->getObject(static_cast<unsigned>(i))->getValue<std::string>("id") == id)
                return checks->getObject(static_cast<unsigned>(i));
        return nullptr;
    }
};

inline std::string status(const Poco::JSON::Object::Ptr& c) { return c ? c->getValue<std::string>("status") : "absent"; }
inline std::string detail(const Poco::JSON::Object::Ptr& c) { return c ? c->getValue<std::string>("detail") : ""; }
inline std::string fix(const Poco::JSON::Object::Ptr& c) { return c ? c->getValue<std::string>("fix") : ""; }

} // namespace dr
