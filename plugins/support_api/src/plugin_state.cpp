#include "plugin_state.hpp"

#include <wildws/services/activity.hpp>
#include <wildws/services/consent.hpp>

#include <spdlog/spdlog.h>

namespace wildws::support {

void StopSwitch::request(StopReason reason, std::string actor) {
    std::function<void(const Request&)> fn;
    Request r;
    {
        std::lock_guard lock(m_);
        if (request_) return;
        request_ = Request{std::move(reason), std::move(actor)};
        r = *request_;
        fn = onStop_;
    }
    if (fn) fn(r);
}

void StopSwitch::onStop(std::function<void(const Request&)> fn) {
    std::optional<Request> already;
    {
        std::lock_guard lock(m_);
        onStop_ = fn;
        already = request_;
    }
    if (already && fn) fn(*already);
}

std::optional<StopSwitch::Request> StopSwitch::requested() const {
    std::lock_guard lock(m_);
    return request_;
}

PluginState::PluginState(HostInfo hostInfo, Services& registry, std::shared_ptr<spdlog::logger> logger)
    : host(std::move(hostInfo)), services(registry), log(std::move(logger)), archive(host.home + "/support-sessions") {}

void PluginState::setRunning(std::shared_ptr<StopSwitch> stop, std::string taskId) {
    std::lock_guard lock(runningMutex_);
    running_ = std::move(stop);
    runningTaskId_ = std::move(taskId);
}

void PluginState::clearRunning(const std::shared_ptr<StopSwitch>& stop) {
    std::lock_guard lock(runningMutex_);
    if (running_ == stop) {
        running_.reset();
        runningTaskId_.clear();
    }
}

std::optional<std::string> PluginState::stopRunning(StopReason reason, const std::string& actor) {
    std::lock_guard lock(runningMutex_);
    if (!running_) return std::nullopt;
    running_->request(std::move(reason), actor);
    return runningTaskId_;
}

void PluginState::setTaskSession(std::shared_ptr<AgentSession> session) {
    std::lock_guard lock(promptMutex_);
    taskSession_ = std::move(session);
    answered_.clear();
}

void PluginState::clearTaskSession() {
    std::lock_guard lock(promptMutex_);
    taskSession_.reset();
}

RespondResult PluginState::answerPrompt(const std::string& requestId, const AgentDecision& decision, OperatePrompt* asked) {
    std::lock_guard lock(promptMutex_);
    OperatePrompt p;
    if (!taskSession_ || !operate.removePrompt(requestId, &p))
        return answered_.count(requestId) ? RespondResult::AlreadyAnswered : RespondResult::UnknownRequest;
    if (p.kind == "question" && decision.decision == "allow" && decision.answersJson.empty()) {
        operate.addPrompt(p); // still waiting
        return RespondResult::BadDecision;
    }
    answered_.insert(requestId);
    if (asked) *asked = p;
    auto r = taskSession_->respond(requestId, decision);
    return r == RespondResult::UnknownRequest ? RespondResult::AlreadyAnswered : r; // the agent withdrew it meanwhile
}

void PluginState::expirePrompts(std::int64_t nowMs, const AgentDecision& decision) {
    std::lock_guard lock(promptMutex_);
    for (auto& p : operate.takeExpired(nowMs)) {
        answered_.insert(p.requestId);
        if (taskSession_) taskSession_->respond(p.requestId, decision);
    }
}

bool PluginState::audit(const std::string& action, int tier, bool ok, const std::string& actor,
                        const std::string& detail) {
    auto consent = services.find<Consent>();
    if (!consent) return false;
    AuditEntry e;
    e.ts = 0; // the service stamps it
    e.action = action;
    e.tier = tier;
    e.ok = ok;
    e.actor = actor;
    e.detail = detail;
    if (consent->append(e)) return true;
    if (log) log->error("could not write the audit entry for {}: {}", action, detail);
    return false;
}

void PluginState::publish(const std::string& type, const json::Object& fields) {
    try {
        auto bus = services.find<ActivityBus>();
        if (bus) bus->publish(type, json::toText(fields));
    } catch (const std::exception& e) {
        if (log) log->warn("could not publish {}: {}", type, e.what());
    }
}

} // namespace wildws::support
