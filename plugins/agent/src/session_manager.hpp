// The AgentSessions service: picks the backend (looked up at run time, so
// third-party backends count), checks the request, enforces max_sessions,
// spawns the run on a thread of its own and, for chat and CLI turns, records
// the conversation. Finished sessions stay findable for a while, then their
// threads are joined.
#pragma once

#include "conversation_store.hpp"
#include "live_session.hpp"
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
    std::shared_ptr<RunSession> session;
    std::string agentId;
    bool resumed = false;       // the agent continues its own conversation
    std::string notice;         // why a follow-up starts fresh
    bool live = false;          // the follow-up went into the conversation's running agent
};

struct BackendRow {
    std::string id, name;
    AgentDetection detection;
    bool canResume = false;
    bool isDefault = false;
    std::optional<bool> signedIn; // AgentSignin: null when unknown or not provided
    std::string signInHint;       // when signed out: how to sign in
    AgentCapabilities caps;
    std::string protocol;       // how it is driven: "stream-json", "app-server", "exec --json", "one-shot"
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
    /// The unanswered prompts of a conversation's running turn.
    std::vector<Chunk> pending(const std::string& sessionId);
    /// The live run of a conversation (running or idle), if any.
    std::shared_ptr<RunSession> live(const std::string& sessionId);
    ConversationStore& store() { return store_; }
    const AgentSettings& settings() const { return settings_; }
    /// Cancels every run and joins every thread (teardown).
    void shutdown();

private:
    /// The recorder of a live session's current turn, swapped per turn.
    struct RecorderSlot {
        std::mutex m;
        std::shared_ptr<TurnRecorder> recorder;
    };
    struct Live {
        std::shared_ptr<RunSession> session;
        std::thread thread;
        std::optional<std::chrono::steady_clock::time_point> finishedAt;
        std::shared_ptr<RecorderSlot> slot;
        std::chrono::steady_clock::time_point usedAt;
    };
    struct Resolved {
        std::shared_ptr<AgentBackend> backend;
        AgentDetection detection;
    };
    std::optional<Resolved> resolve(const std::string& agentId, AgentStartError& error);
    void pruneLocked();
    std::optional<Started> followUp(const std::string& conv, const AgentRequest& request, const std::string& mode,
                                    const StartOptions& options, AgentStartError& error);
    void publish(const std::string& conv, const Chunk& c);

    Services& services_;
    const AgentSettings settings_;
    std::shared_ptr<spdlog::logger> log_;
    ConversationStore store_;
    std::mutex m_;
    std::map<std::string, Live> live_;
    bool shuttingDown_ = false;
};

} // namespace wildws::agent
