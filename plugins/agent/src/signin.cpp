#include "signin.hpp"

#include "child_env.hpp"
#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <wildws/process.hpp>

#include <future>
#include <sstream>
#include <stdexcept>

namespace wildws::agent {
namespace {

AgentSigninStatus make(SigninState state, std::string how = {}, std::string method = {}) {
    AgentSigninStatus s;
    s.state = state;
    s.how = std::move(how);
    s.method = std::move(method);
    return s;
}

std::string firstLine(const std::string& text) {
    std::string t = common::trim(text);
    return common::sanitizeUtf8(common::shortenUtf8(common::trim(t.substr(0, t.find('\n'))), 300));
}

} // namespace

ProbeRunner defaultProbeRunner(std::vector<std::string> scrub, std::chrono::milliseconds timeout) {
    return [scrub = std::move(scrub), timeout](const std::vector<std::string>& argv) {
        ProbeOutput p;
        try {
            SpawnOptions o;
            o.argv = argv;
            o.env = childEnvironment({}, scrub);
            auto r = runToEnd(o, timeout, {}, 64 * 1024);
            if (r.timedOut) {
                p.failure = "it did not answer within " + std::to_string(timeout.count() / 1000) + " s";
                return p;
            }
            p.code = r.status.value();
            p.out = std::move(r.out);
            p.err = std::move(r.err);
        } catch (const std::exception& e) {
            p.failure = e.what();
        }
        return p;
    };
}

AgentSigninStatus claudeStatusFrom(const ProbeOutput& p) {
    if (!p.failure.empty()) return make(SigninState::Unknown, "`claude auth status` failed: " + p.failure);
    auto o = json::parseObject(common::trim(p.out), json::ParseOptions::loose());
    if (!o || !o->has("loggedIn"))
        return make(SigninState::Unknown, "`claude auth status` gave no status (exit " + std::to_string(p.code) + ")" +
                                              (common::trim(p.err).empty() ? "" : ": " + firstLine(p.err)));
    if (json::getBool(o, "loggedIn").value_or(false)) {
        std::string method = json::getString(o, "authMethod").value_or("");
        std::string source = json::getString(o, "apiKeySource").value_or("");
        if (!source.empty()) method = source; // the variable's name, never its value
        else if (method == "claude.ai" || method == "oauth_token") method = "claude.ai account";
        return make(SigninState::SignedIn, {}, common::sanitizeUtf8(method));
    }
    return make(SigninState::SignedOut,
                "Claude Code is not signed in: click Sign in, or run `claude auth login` (or `wildws agent login claude`)");
}

AgentSigninStatus codexStatusFrom(const ProbeOutput& p) {
    if (!p.failure.empty()) return make(SigninState::Unknown, "`codex login status` failed: " + p.failure);
    // codex prints warnings first on stderr; the status line is the last one.
    std::string all = p.out + "\n" + p.err;
    bool notLogged = all.find("Not logged in") != std::string::npos;
    std::string logged;
    std::istringstream lines(all);
    for (std::string line; std::getline(lines, line);)
        if (common::trim(line).rfind("Logged in", 0) == 0) logged = common::trim(line);
    if (p.code == 0 && !logged.empty()) {
        std::string method = logged.find("API key") != std::string::npos ? "API key" : "ChatGPT account";
        return make(SigninState::SignedIn, {}, method);
    }
    if (notLogged)
        return make(SigninState::SignedOut,
                    "Codex is not signed in: click Sign in, or run `codex login` (or `wildws agent login codex`)");
    return make(SigninState::Unknown, "`codex login status` gave no status (exit " + std::to_string(p.code) + ")" +
                                          (common::trim(all).empty() ? "" : ": " + firstLine(all)));
}

CliSignin::CliSignin(Spec spec, std::shared_ptr<AgentBackend> backend, ProbeRunner run, std::chrono::seconds ttl)
    : spec_(std::move(spec)), backend_(std::move(backend)), run_(std::move(run)), ttl_(ttl) {}

AgentSigninStatus CliSignin::status() const {
    if (auto known = knownStatus()) return *known;
    // One probe at a time; knownStatus() never waits for it (m_ is not held).
    std::lock_guard probing(probe_);
    if (auto known = knownStatus()) return *known;
    AgentSigninStatus s;
    try {
        AgentDetection d = backend_->detect();
        if (!d.found) {
            s = make(SigninState::Unknown, spec_.displayName + " is not installed");
        } else {
            std::vector<std::string> argv = {d.path};
            argv.insert(argv.end(), spec_.statusArgs.begin(), spec_.statusArgs.end());
            s = spec_.interpret(run_(argv));
        }
    } catch (const std::exception& e) {
        s = make(SigninState::Unknown, std::string("cannot tell: ") + e.what());
    }
    std::lock_guard lock(m_);
    cached_ = s;
    at_ = std::chrono::steady_clock::now();
    return s;
}

std::optional<AgentSigninStatus> CliSignin::knownStatus() const {
    std::lock_guard lock(m_);
    if (cached_ && std::chrono::steady_clock::now() - at_ < ttl_) return cached_;
    return std::nullopt;
}

void CliSignin::refresh() {
    std::lock_guard lock(m_);
    cached_.reset();
}

AgentSigninLaunch CliSignin::login(const AgentDetection& found) const {
    if (!found.found || found.path.empty() || found.path[0] != '/')
        throw std::runtime_error(spec_.displayName + " is not installed");
    AgentSigninLaunch l;
    l.argv = {found.path};
    l.argv.insert(l.argv.end(), spec_.loginArgs.begin(), spec_.loginArgs.end());
    l.callbackPorts = spec_.callbackPorts;
    return l;
}

std::shared_ptr<AgentSignin> claudeSignin(std::shared_ptr<AgentBackend> claude, const AgentSettings& s) {
    CliSignin::Spec spec{"Claude Code", {"auth", "status"}, {"auth", "login"}, {}, claudeStatusFrom};
    return std::make_shared<CliSignin>(spec, std::move(claude),
                                       defaultProbeRunner(scrubPatterns(s.scrubEnv), std::chrono::seconds(15)),
                                       s.detectCache);
}

std::shared_ptr<AgentSignin> codexSignin(std::shared_ptr<AgentBackend> codex, const AgentSettings& s) {
    CliSignin::Spec spec{"Codex", {"login", "status"}, {"login"}, {1455}, codexStatusFrom};
    return std::make_shared<CliSignin>(spec, std::move(codex),
                                       defaultProbeRunner(scrubPatterns(s.scrubEnv), std::chrono::seconds(15)),
                                       s.detectCache);
}

SigninView signinOf(const Services& services, const std::string& agentId) {
    SigninView v;
    auto signin = services.find<AgentSignin>(agentId);
    if (!signin) return v;
    AgentSigninStatus s;
    try {
        s = signin->status();
    } catch (const std::exception&) {
        return v; // a third party's status() that throws counts as unknown
    }
    if (s.state == SigninState::SignedIn) v.signedIn = true;
    if (s.state == SigninState::SignedOut) {
        v.signedIn = false;
        v.hint = s.how;
    }
    return v;
}

std::map<std::string, SigninView> signinOfAll(const Services& services, const std::vector<std::string>& agentIds) {
    std::vector<std::future<SigninView>> pending;
    for (auto& id : agentIds)
        pending.push_back(std::async(std::launch::async, [&services, id] { return signinOf(services, id); }));
    std::map<std::string, SigninView> out;
    for (std::size_t i = 0; i < agentIds.size(); ++i) out[agentIds[i]] = pending[i].get();
    return out;
}

std::optional<std::string> signedOutLine(const Services& services, const std::string& agentId) {
    auto signin = services.find<AgentSignin>(agentId);
    if (!signin) return std::nullopt;
    std::optional<AgentSigninStatus> s;
    try {
        s = signin->knownStatus();
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (!s || s->state != SigninState::SignedOut) return std::nullopt;
    return s->how.empty() ? agentId + " is not signed in" : s->how;
}

} // namespace wildws::agent
