// The AgentSessions service: picks the backend (looked up at run time, so
// third-party backends count), checks the request, enforces max_sessions,
// spawns the run on a thread of its own and, for chat and CLI turns, records
// the conversation. Finished sessions stay findable for a while, then their
// threads are joined.
#pragma once

#include "conversation_store.hpp"
#include "process_session.hpp"
#include "settings.hpp"

#include <wildws/services.hpp>
#include <wildws/services/agent.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace spdlog {
class logger;
}

namespace wildws::agent {

struct StartOptions {
    std::string conversationId; // non-empty: a follow-up turn of this conversation
    bool persist = false;       // record it under sessions/
};

struct Started {
    std::shared_ptr<ProcessSession> session;
    std::string agentId;
    bool resumed = false;       // the agent continues its own conversation
    std::string notice;         // why a follow-up starts fresh
};

struct BackendRow {
    std::string id, name;
    AgentDetection detection;
    bool canResume = false;
    bool isDefault = false;
    std::optional<bool> signedIn; // AgentSignin: null when unknown or not provided
    std::string signInHint;       // when signed out: how to sign in
};

class SessionManager : public AgentSessions {
public:
    SessionManager(Services& services, AgentSettings settings, std::string home, std::shared_ptr<spdlog::logger> log);
    ~SessionManager() override;

    std::shared_ptr<AgentSession> start(const AgentRequest& request, const std::string& agentId,
                                        AgentStartError& error) override;
    std::shared_ptr<AgentSession> find(const std::string& sessionId) override;

    std::optional<Started> startTurn(AgentRequest request, const std::string& agentId, const StartOptions& options,
                                     AgentStartError& error);
    /// Every backend, detected or not, in lookup order.
    std::vector<BackendRow> backends();
    bool running(const std::string& sessionId);
    ConversationStore& store() { return store_; }
    const AgentSettings& settings() const { return settings_; }
    /// Cancels every run and joins every thread (teardown).
    void shutdown();

private:
    struct Live {
        std::shared_ptr<ProcessSession> session;
        std::thread thread;
        std::optional<std::chrono::steady_clock::time_point> finishedAt;
    };
    struct Resolved {
        std::shared_ptr<AgentBackend> backend;
        AgentDetection detection;
    };
    std::optional<Resolved> resolve(const std::string& agentId, AgentStartError& error);
    void pruneLocked();

    Services& services_;
    const AgentSettings settings_;
    std::shared_ptr<spdlog::logger> log_;
    ConversationStore store_;
    std::mutex m_;
    std::map<std::string, Live> live_;
    bool shuttingDown_ = false;
};

} // namespace wildws::agent
