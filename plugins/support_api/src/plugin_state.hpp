// What the plugin's routes, ticks and actions share inside one process: the
// host facts, the service registry (services are looked up at call time,
// never kept), the live operate state, the stop switch of the task running
// here, and the event publisher.
#pragma once

#include "grant_watch.hpp"
#include <wildws/common/json.hpp>
#include "operate_state.hpp"
#include "session_archive.hpp"

#include <wildws/context.hpp>

#include <wildws/services/agent.hpp>

#include <atomic>
#include <functional>
#include <chrono>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace spdlog {
class logger;
}

namespace wildws::support {

/// A request to stop the running task, from another thread (owner cancel,
/// the page's revoke, the task's grant watch). The first request wins, and
/// runs the task's onStop at once (it cancels the agent, so its group is
/// signalled now, not when the task's loop next looks).
class StopSwitch {
public:
    struct Request {
        StopReason reason;
        std::string actor; // who stopped it, for the audit
    };
    void request(StopReason reason, std::string actor);
    std::optional<Request> requested() const;
    /// Called once, on the requesting thread, by the first request (or at
    /// once if one came already). Must be cheap and thread-safe.
    void onStop(std::function<void(const Request&)> fn);

private:
    mutable std::mutex m_;
    std::optional<Request> request_;
    std::function<void(const Request&)> onStop_;
};

struct PluginState {
    PluginState(HostInfo hostInfo, Services& registry, std::shared_ptr<spdlog::logger> logger);

    const HostInfo host;
    Services& services;
    std::shared_ptr<spdlog::logger> log;
    OperateState operate;
    SessionArchive archive;

    std::string sessionsDir() const { return host.home + "/support-sessions"; }
    std::string logsDir() const { return host.home + "/logs"; }

    /// The task running in this process: set while it runs.
    void setRunning(std::shared_ptr<StopSwitch> stop, std::string taskId);
    void clearRunning(const std::shared_ptr<StopSwitch>& stop);
    /// Asks the running task to stop; returns its taskId, or nullopt when none runs.
    std::optional<std::string> stopRunning(StopReason reason, const std::string& actor);

    /// The running task's agent session, for answering its prompts.
    void setTaskSession(std::shared_ptr<AgentSession> session);
    void clearTaskSession();
    /// The owner's answer to a pending prompt of the running task: taken out
    /// of the operate state and passed to the agent. `asked` gets the prompt.
    RespondResult answerPrompt(const std::string& requestId, const AgentDecision& decision, OperatePrompt* asked = nullptr);
    /// Answers every prompt past its deadline with `decision`.
    void expirePrompts(std::int64_t nowMs, const AgentDecision& decision);
    /// [plugin.support_api] approval_seconds: unanswered prompts are denied after this.
    std::chrono::seconds approval{120};

    /// One audit line through the Consent service; false when it could not
    /// be written (or there is no Consent service).
    bool audit(const std::string& action, int tier, bool ok, const std::string& actor, const std::string& detail);

    /// Publishes on the ActivityBus when there is one (serve); else nothing.
    void publish(const std::string& type, const json::Object& fields);

private:
    std::mutex runningMutex_;
    std::shared_ptr<StopSwitch> running_;
    std::string runningTaskId_;
    std::mutex promptMutex_;
    std::shared_ptr<AgentSession> taskSession_;
    std::set<std::string> answered_;
};

} // namespace wildws::support
