// Sign-in status and the sign-in command of the two CLIs this plugin ships
// backends for, as AgentSignin services ("claude", "codex"):
//   claude  `claude auth status`: JSON {"loggedIn": bool, "authMethod", ...},
//           exit 0 signed in, 1 not (2.1.331); sign in: `claude auth login`
//   codex   `codex login status`: "Logged in using ..." exit 0, "Not logged
//           in" exit 1 (0.169.0); sign in: `codex login`, whose browser
//           callback listens on 127.0.0.1:1455
// And the helpers the plugin's listing and start path use for any backend.
#pragma once

#include "backends.hpp"

#include <wildws/services.hpp>
#include <wildws/services/agent_signin.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

/// What a status probe printed: exit code (-1: could not run or timed out).
struct ProbeOutput {
    int code = -1;
    std::string out, err;
    std::string failure; // why it could not run
};
using ProbeRunner = std::function<ProbeOutput(const std::vector<std::string>& argv)>;

/// Runs argv without a shell, at most `timeout`, in the agents' environment.
ProbeRunner defaultProbeRunner(std::vector<std::string> scrubPatterns, std::chrono::milliseconds timeout);

AgentSigninStatus claudeStatusFrom(const ProbeOutput& p);
AgentSigninStatus codexStatusFrom(const ProbeOutput& p);

/// One CLI's AgentSignin: its probe cached for `ttl`.
class CliSignin : public AgentSignin {
public:
    struct Spec {
        std::string displayName;                          // "Claude Code"
        std::vector<std::string> statusArgs;              // {"auth", "status"}
        std::vector<std::string> loginArgs;               // {"auth", "login"}
        std::vector<int> callbackPorts;
        std::function<AgentSigninStatus(const ProbeOutput&)> interpret;
    };
    CliSignin(Spec spec, std::shared_ptr<AgentBackend> backend, ProbeRunner run, std::chrono::seconds ttl);

    AgentSigninStatus status() const override;
    std::optional<AgentSigninStatus> knownStatus() const override;
    void refresh() override;
    AgentSigninLaunch login(const AgentDetection& found) const override;

private:
    Spec spec_;
    std::shared_ptr<AgentBackend> backend_;
    ProbeRunner run_;
    std::chrono::seconds ttl_;
    mutable std::mutex probe_; // held while a probe runs
    mutable std::mutex m_;     // guards cached_ and at_ only
    mutable std::optional<AgentSigninStatus> cached_;
    mutable std::chrono::steady_clock::time_point at_;
};

std::shared_ptr<AgentSignin> claudeSignin(std::shared_ptr<AgentBackend> claude, const AgentSettings& s);
std::shared_ptr<AgentSignin> codexSignin(std::shared_ptr<AgentBackend> codex, const AgentSettings& s);

/// What `agent list` and GET /api/agents show: signedIn true/false/null and,
/// when false, the line that says how.
struct SigninView {
    std::optional<bool> signedIn;
    std::string hint;
};
SigninView signinOf(const Services& services, const std::string& agentId);

/// signinOf() for each id, the probes run concurrently (a Node CLI takes
/// ~0.5-3 s to answer `auth status`).
std::map<std::string, SigninView> signinOfAll(const Services& services, const std::vector<std::string>& agentIds);

/// The line to answer a prompt with when `agentId` is known to be signed out
/// (knownStatus(): never waits on a probe).
std::optional<std::string> signedOutLine(const Services& services, const std::string& agentId);

} // namespace wildws::agent
