#include "login_session.hpp"

#include "child_env.hpp"

#include <wildws/common/json.hpp>
#include <wildws/process.hpp>

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wildws::agent {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string eventLine(const LoginEvent& e) {
    auto o = common::json::object();
    o->set("type", e.type);
    o->set(e.type == "url" ? "url" : "text", e.text);
    return common::json::toText(o);
}

std::string endLine(bool signedIn, int code) {
    auto o = common::json::object();
    o->set("type", "end");
    o->set("signedIn", signedIn);
    o->set("code", code);
    return common::json::toText(o);
}

void wake(int fd) {
    std::uint64_t one = 1;
    if (fd >= 0) (void)!::write(fd, &one, sizeof one);
}

} // namespace

bool portFree(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return true;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool listening = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return !listening;
}

struct LoginSession::Child {
    ChildProcess process;
};

LoginSession::LoginSession(std::string agentId, AgentSigninLaunch launch, std::shared_ptr<AgentSignin> signin,
                           LoginLimits limits, std::shared_ptr<spdlog::logger> log)
    : agent_(std::move(agentId)), launch_(std::move(launch)), signin_(std::move(signin)), limits_(std::move(limits)),
      log_(std::move(log)) {
    SpawnOptions o;
    o.argv = launch_.argv;
    o.env = childEnvironment(launch_.env, scrubPatterns(limits_.scrubEnv));
    o.pty = true;
    o.ptyRows = 40;
    o.ptyCols = 500; // wide: a CLI must not wrap its sign-in link
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_ < 0) throw std::runtime_error("cannot make an eventfd for the sign-in");
    try {
        child_ = std::make_unique<Child>(Child{ChildProcess::spawn(o)});
    } catch (...) {
        ::close(wake_);
        throw;
    }
    if (log_) log_->info("sign-in of {} started: pid {}", agent_, child_->process.pid());
    thread_ = std::thread([this] { run(); });
}

LoginSession::~LoginSession() {
    stop("wildws is shutting down");
    if (thread_.joinable()) thread_.join();
    if (wake_ >= 0) ::close(wake_);
}

void LoginSession::push(std::string line) {
    std::lock_guard lock(m_);
    events_.push_back(std::move(line));
    cv_.notify_all();
}

std::optional<std::string> LoginSession::next(milliseconds timeout) {
    std::unique_lock lock(m_);
    cv_.wait_for(lock, timeout, [this] { return !events_.empty() || (finished_ && endTaken_); });
    if (events_.empty()) return std::nullopt;
    std::string line = std::move(events_.front());
    events_.pop_front();
    if (events_.empty() && finished_) endTaken_ = true;
    return line;
}

bool LoginSession::sendCode(const std::string& code) {
    {
        std::lock_guard lock(m_);
        if (finished_ || stopRequested_) return false;
        codes_.push_back(code);
    }
    wake(wake_);
    return true;
}

bool LoginSession::finished() const {
    std::lock_guard lock(m_);
    return finished_;
}

bool LoginSession::running() const {
    std::lock_guard lock(m_);
    return !gone_;
}

bool LoginSession::stop(const std::string& why) {
    {
        std::lock_guard lock(m_);
        if (!finished_ && !stopRequested_) {
            stopRequested_ = true;
            stopWhy_ = why;
        }
    }
    wake(wake_);
    // Answer once the group is gone (bounded by the grace) and the ports it
    // listened on are free again.
    auto deadline = Clock::now() + limits_.killGrace + milliseconds(5000);
    {
        std::unique_lock lock(m_);
        cv_.wait_until(lock, deadline, [this] { return finished_; });
    }
    bool free = true;
    for (int port : launch_.callbackPorts) {
        while (!portFree(port) && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(20));
        free = free && portFree(port);
    }
    return free;
}

void LoginSession::run() {
    auto& p = child_->process;
    LoginOutput parser;
    auto started = Clock::now();
    bool terminating = false;
    std::vector<char> buf(16384);
    for (;;) {
        std::vector<std::string> codes;
        bool stop = false;
        {
            std::lock_guard lock(m_);
            codes.swap(codes_);
            stop = stopRequested_;
        }
        for (auto& c : codes) p.writeStdin(c + "\r");
        if (!terminating && (stop || Clock::now() - started > limits_.total)) {
            terminating = true;
            if (log_) log_->info("sign-in of {} stopped: {}", agent_, stop ? stopWhy_ : "it ran too long");
            p.terminate(limits_.killGrace);
        }
        int killIn = p.killDueInMs();
        if (p.terminalFd() < 0 && p.exited()) break;

        pollfd fds[3];
        nfds_t n = 0;
        fds[n++] = {wake_, POLLIN, 0};
        int term = p.terminalFd();
        if (term >= 0) fds[n++] = {term, static_cast<short>(POLLIN | (p.stdinPending() ? POLLOUT : 0)), 0};
        if (p.pidFd() >= 0 && term < 0) fds[n++] = {p.pidFd(), POLLIN, 0};
        int timeout = killIn >= 0 ? killIn : 200;
        ::poll(fds, n, timeout);
        std::uint64_t drain;
        while (::read(wake_, &drain, sizeof drain) > 0) {
        }
        if (p.stdinPending()) p.flushStdin();
        std::vector<LoginEvent> events;
        for (;;) {
            long got = p.read(ChildProcess::Stream::Terminal, buf.data(), buf.size());
            if (got <= 0) break;
            parser.feed(std::string_view(buf.data(), static_cast<std::size_t>(got)), events);
        }
        for (auto& e : events) push(eventLine(e));
        // The terminal is closed when the whole session has let go of it; a
        // leader that exited while a child holds it open is ended with it.
        if (term >= 0 && p.exited() && !terminating) {
            terminating = true;
            p.terminate(milliseconds(500));
        }
    }
    std::vector<LoginEvent> rest;
    parser.finish(rest);
    for (auto& e : rest) push(eventLine(e));
    ExitStatus status = p.finish();
    {
        std::lock_guard lock(m_);
        gone_ = true; // another sign-in may start now
    }
    bool signedIn = false;
    if (signin_) {
        signin_->refresh();
        try {
            signedIn = signin_->status().state == SigninState::SignedIn;
        } catch (const std::exception&) {
        }
    }
    if (log_) log_->info("sign-in of {} ended: code {}, signed in {}", agent_, status.value(), signedIn);
    std::lock_guard lock(m_);
    events_.push_back(endLine(signedIn, status.value()));
    finished_ = true;
    cv_.notify_all();
}

LoginManager::LoginManager(const Services& services, LoginLimits limits, std::shared_ptr<spdlog::logger> log)
    : services_(services), limits_(std::move(limits)), log_(std::move(log)) {}

LoginManager::~LoginManager() { shutdown(); }

bool LoginManager::known(const std::string& agentId) const {
    for (auto& b : services_.all<AgentBackend>())
        if (b->id() == agentId) return true;
    return false;
}

std::shared_ptr<LoginSession> LoginManager::running(const std::string& agentId) {
    std::lock_guard lock(m_);
    auto it = live_.find(agentId);
    if (it == live_.end() || !it->second->running()) return nullptr;
    return it->second;
}

std::shared_ptr<LoginSession> LoginManager::start(const std::string& agentId, Error& error) {
    auto fail = [&](int status, std::string code, std::string message) {
        error = {status, std::move(code), std::move(message)};
        return nullptr;
    };
    std::shared_ptr<AgentBackend> backend;
    for (auto& b : services_.all<AgentBackend>())
        if (b->id() == agentId) backend = b;
    if (!backend) return fail(404, "unknown-agent", "unknown agent '" + agentId + "'");
    auto signin = services_.find<AgentSignin>(agentId);
    if (!signin)
        return fail(400, "no-signin-command", backend->displayName() + " does not say how to sign in: sign it in in a terminal");
    AgentDetection d;
    try {
        d = backend->detect();
    } catch (const std::exception& e) {
        return fail(503, "agent-not-installed", backend->displayName() + " is not available: " + e.what());
    }
    if (!d.found)
        return fail(503, "agent-not-installed", backend->displayName() + " is not available: " + d.reason +
                                                    (d.installHint.empty() ? "" : " - " + d.installHint));
    AgentSigninLaunch launch;
    try {
        launch = signin->login(d);
    } catch (const std::exception& e) {
        return fail(400, "no-signin-command", e.what());
    }
    if (launch.argv.empty() || launch.argv[0].empty() || launch.argv[0][0] != '/')
        return fail(500, "spawn-failed", backend->displayName() + " gave no absolute program path for its sign-in");
    std::shared_ptr<LoginSession> old; // joined after the lock is released (it may still be ending)
    std::lock_guard lock(m_);
    if (down_) return fail(503, "shutting-down", "wildws is shutting down");
    if (auto it = live_.find(agentId); it != live_.end()) {
        if (it->second->running())
            return fail(409, "signin-running", "a sign-in of " + backend->displayName() +
                                                   " is already running: finish it, or stop it (DELETE)");
        old = std::move(it->second);
        live_.erase(it);
    }
    for (int port : launch.callbackPorts)
        if (!portFree(port))
            return fail(409, "port-in-use", "port " + std::to_string(port) + " on 127.0.0.1, which " +
                                                backend->displayName() + "'s sign-in needs, is in use: stop what holds it");
    try {
        auto s = std::make_shared<LoginSession>(agentId, launch, signin, limits_, log_);
        live_[agentId] = s;
        return s;
    } catch (const std::exception& e) {
        return fail(500, "spawn-failed", e.what());
    }
}

void LoginManager::shutdown() {
    std::map<std::string, std::shared_ptr<LoginSession>> all;
    {
        std::lock_guard lock(m_);
        down_ = true;
        all.swap(live_);
    }
    for (auto& [id, s] : all) s->stop("wildws is shutting down");
}

} // namespace wildws::agent
