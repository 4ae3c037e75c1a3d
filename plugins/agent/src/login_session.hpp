// An agent CLI's own sign-in (`claude auth login`, `codex login`) run in a
// pseudo-terminal for the page: POST /api/agents/:id/login streams its
// events, .../login/code writes a code to it, DELETE stops it (its whole
// process group; a callback port it listened on is free again afterwards).
// One sign-in per agent at a time.
//
// THREADS: each sign-in has one runner thread that owns the ChildProcess
// (the SDK's: new session, PTY, group kill) and polls the terminal, the
// leader's pidfd and an eventfd; the HTTP threads only queue a code or a
// stop and read events. Nothing a CLI prints, and no code, is ever logged.
#pragma once

#include "login_output.hpp"

#include <wildws/services.hpp>
#include <wildws/services/agent.hpp>
#include <wildws/services/agent_signin.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace spdlog {
class logger;
}

namespace wildws::agent {

struct LoginLimits {
    std::chrono::milliseconds killGrace{1500};
    std::chrono::seconds total{900};  // a sign-in left open longer is stopped
    std::vector<std::string> scrubEnv;
};

class LoginSession {
public:
    /// Spawns `launch` in a PTY. Throws std::runtime_error (one line).
    LoginSession(std::string agentId, AgentSigninLaunch launch, std::shared_ptr<AgentSignin> signin,
                 LoginLimits limits, std::shared_ptr<spdlog::logger> log);
    ~LoginSession();

    /// The next event as a JSON line, waiting up to `timeout`; nullopt on
    /// timeout and after `end` was handed out.
    std::optional<std::string> next(std::chrono::milliseconds timeout);
    /// Writes `code` and Enter to the terminal. False once it has ended.
    bool sendCode(const std::string& code);
    /// Stops it: SIGTERM to the group, SIGKILL after the grace. Returns once
    /// the group is gone and every callback port is free again (bounded);
    /// the result says whether the ports are free.
    bool stop(const std::string& why);
    /// The `end` event is queued.
    bool finished() const;
    /// The CLI's process group is still there (false as soon as it is gone,
    /// before the status is looked at again for `end`).
    bool running() const;
    const std::string& agent() const { return agent_; }

private:
    void run();
    void push(std::string line);

    const std::string agent_;
    AgentSigninLaunch launch_;
    std::shared_ptr<AgentSignin> signin_;
    const LoginLimits limits_;
    std::shared_ptr<spdlog::logger> log_;
    struct Child;
    std::unique_ptr<Child> child_;
    int wake_ = -1;

    mutable std::mutex m_;
    std::condition_variable cv_;
    std::deque<std::string> events_;
    std::vector<std::string> codes_;
    bool stopRequested_ = false, finished_ = false, endTaken_ = false, gone_ = false;
    std::string stopWhy_;
    std::thread thread_;
};

/// Every running sign-in, one per agent.
class LoginManager {
public:
    LoginManager(const Services& services, LoginLimits limits, std::shared_ptr<spdlog::logger> log);
    ~LoginManager();

    struct Error {
        int status = 0;
        std::string code, message;
    };
    /// Starts the sign-in of `agentId`, or fills `error`.
    std::shared_ptr<LoginSession> start(const std::string& agentId, Error& error);
    /// The running sign-in of `agentId`, if any.
    std::shared_ptr<LoginSession> running(const std::string& agentId);
    /// Whether `agentId` is a known backend.
    bool known(const std::string& agentId) const;
    void shutdown();

private:
    const Services& services_;
    const LoginLimits limits_;
    std::shared_ptr<spdlog::logger> log_;
    std::mutex m_;
    std::map<std::string, std::shared_ptr<LoginSession>> live_;
    bool down_ = false;
};

/// True when nothing accepts connections on 127.0.0.1:`port`.
bool portFree(int port);

} // namespace wildws::agent
