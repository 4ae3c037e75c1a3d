#include "task_runner.hpp"

#include "grant_file_watch.hpp"
#include "grant_watch.hpp"
#include "recorder.hpp"
#include "status_json.hpp"
#include "task_lock.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <wildws/services/agent.hpp>
#include <wildws/services/consent.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <map>

namespace wildws::support {

const char* const kSupportSystemPrompt =
    "You are wildws support, operating this machine with the user's explicit, time-boxed consent. Work the given "
    "task end to end, narrate what you do in plain language, and stop when it is resolved.";

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto kWake = milliseconds(100);
constexpr auto kGrantEvery = milliseconds(250);
/// After a stop, how long the agent gets to end before the stream ends anyway.
constexpr auto kStopGrace = milliseconds(700);
constexpr std::size_t kBatchLines = 256;
constexpr std::size_t kBatchBytes = 256 * 1024;

std::string quoted(const std::string& taskId) { return "'" + taskId + "'"; }

/// Watches the grant while a task runs, on a thread of its own: it re-reads
/// the grant the moment the file changes (inotify) and every 250 ms (a grant
/// also ends by the clock), and pulls the stop switch when the grant no
/// longer allows the task. Joined before the task returns.
class GrantGuard {
public:
    GrantGuard(const std::string& home, std::shared_ptr<Consent> consent, StopSwitch& stop)
        : files_(home), consent_(std::move(consent)), stop_(stop), thread_([this] { loop(); }) {}
    ~GrantGuard() {
        done_ = true;
        files_.wake();
        thread_.join();
    }
    GrantGuard(const GrantGuard&) = delete;
    GrantGuard& operator=(const GrantGuard&) = delete;

private:
    void loop() {
        GrantWatch watch(kAgentTaskTier);
        while (!done_ && !stop_.requested()) {
            GrantStatus s;
            if (consent_) s = consent_->status();
            if (auto why = watch.check(s, common::nowMs())) {
                stop_.request(*why, "wildws");
                return;
            }
            files_.wait(static_cast<int>(kGrantEvery.count()));
        }
    }

    GrantFileWatch files_;
    std::shared_ptr<Consent> consent_;
    StopSwitch& stop_;
    std::atomic<bool> done_{false};
    std::thread thread_; // last: starts once the members it uses exist
};

/// Everything one running task tracks.
struct Run {
    Run(PluginState& s, const TaskRequest& r, Stream& o, Recorder& rec) : state(s), request(r), out(&o), recorder(&rec) {}
    PluginState& state;
    const TaskRequest& request;
    Stream* out;
    Recorder* recorder;
    bool clientGone = false;
    std::optional<StopSwitch::Request> stop;
    bool stopErrorSent = false;
    std::string agent;
    std::shared_ptr<AgentSession> session;
    int grantTier = 0;                       // at 4 the grant is the approval: nothing asks
    std::map<std::string, std::string> asked; // requestId -> tool, for the audit

    /// A prompt of the agent: to the owner (tier 3, denied after
    /// approval_seconds), or allowed by the grant itself (tier 4).
    void prompt(const Chunk& c, std::int64_t now) {
        std::string tool = c.type == "question" ? "AskUserQuestion" : c.name;
        asked[c.requestId] = tool;
        if (grantTier >= 4) {
            AgentDecision d;
            d.by = "grant";
            if (c.type == "question") {
                d.decision = "deny";
                d.message = "Nobody is asked during a tier-4 support task: decide yourself and carry on.";
            } else {
                d.decision = "allow";
            }
            session->respond(c.requestId, d);
            return;
        }
        OperatePrompt p;
        p.requestId = c.requestId;
        p.kind = c.type;
        p.tool = tool;
        p.title = c.title.empty() ? (c.type == "question" ? "The support agent asks you" : "The support agent wants to use " + tool) : c.title;
        p.inputJson = c.type == "question" ? "{\"questions\":" + c.detailJson + "}" : c.inputJson;
        p.askedAt = now;
        p.deadline = now + static_cast<std::int64_t>(state.approval.count()) * 1000;
        state.operate.addPrompt(std::move(p));
        if (state.log) state.log->info("support task {}: the agent asks to use {} ({})", request.taskId, tool, c.requestId);
    }

    /// Every decision on a support task is audited: the tool, the decision, who.
    void resolved(const Chunk& c, std::int64_t now) {
        state.operate.removePrompt(c.requestId);
        state.operate.addResolved({c.requestId, c.decision, c.scope, c.by.empty() ? "owner" : c.by, now});
        std::string tool = asked.count(c.requestId) ? asked[c.requestId] : "a tool";
        state.audit("agent-permission", kAgentTaskTier, c.decision == "allow", c.by.empty() ? "owner" : c.by,
                    "task " + quoted(request.taskId) + " tool=" + tool + " decision=" + c.decision + " scope=" + c.scope +
                        " by=" + (c.by.empty() ? "owner" : c.by) + (c.message.empty() ? "" : ": " + c.message));
    }

    /// Denies what the owner left unanswered for approval_seconds.
    void expirePrompts(std::int64_t now) {
        AgentDecision d;
        d.decision = "deny";
        d.by = "timeout";
        d.message = "the owner did not answer within " + std::to_string(state.approval.count()) +
                    " s ([plugin.support_api] approval_seconds), so it was denied";
        state.expirePrompts(now, d);
    }

    /// Records, shows and streams chunks that arrived together.
    void deliver(const std::vector<Chunk>& given) {
        if (given.empty()) return;
        const auto now = common::nowMs();
        // In the daemon (serve is down) no page shows the banner: the engineer
        // is told how the owner answers, so they can tell the owner.
        auto isPrompt = [](const Chunk& c) { return c.type == "permission" || c.type == "question"; };
        const bool noteEach = request.path == "daemon" && grantTier < 4 && std::any_of(given.begin(), given.end(), isPrompt);
        std::vector<Chunk> withNotes;
        if (noteEach)
            for (auto& c : given) {
                withNotes.push_back(c);
                if (!isPrompt(c)) continue;
                Chunk note = makeChunk("stderr");
                note.text = "wildws: the owner's page (wildws serve) is not running, so the owner answers in a terminal: "
                            "wildws support answer " + c.requestId + " allow|deny (denied after " +
                            std::to_string(state.approval.count()) + " s unanswered)";
                withNotes.push_back(std::move(note));
            }
        const std::vector<Chunk>& chunks = noteEach ? withNotes : given;
        std::vector<std::string> recordLines;
        std::string wire;
        recordLines.reserve(chunks.size());
        std::optional<OperateLine> shown;
        std::size_t shownCount = 0;
        bool promptsChanged = false;
        for (auto& c : chunks) {
            if (c.type == "start" && !c.agent.empty()) agent = c.agent;
            if (c.type == "permission" || c.type == "question") {
                prompt(c, now);
                promptsChanged = true;
            } else if (c.type == "permission-resolved") {
                resolved(c, now);
                promptsChanged = true;
            }
            if (stop && c.type == "error") stopErrorSent = true;
            recordLines.push_back(recordLine(c, now));
            wire += toJson(c);
            wire += '\n';
            if (auto line = state.operate.add(c, now)) {
                shown = std::move(line);
                ++shownCount;
            }
        }
        publishOperate(shown, promptsChanged ? shownCount + 2 : shownCount); // a prompt: the whole state
        if (!recorder->append(recordLines) && !stop)
            requestStop({"recording-failed", "the recording of this task could not be written, so it was stopped"},
                        "wildws");
        if (!clientGone && !out->write(wire)) clientGone = true;
    }

    /// One event per batch: the line when one came, else the whole state
    /// (a fast agent must not flood the page with an event per line).
    void publishOperate(const std::optional<OperateLine>& line, std::size_t count) {
        if (count == 0) return;
        auto fields = json::object();
        fields->set("taskId", request.taskId);
        if (count == 1) {
            auto l = json::object();
            json::setTimeOrNull(l, "ts", line->ts);
            l->set("text", line->text);
            fields->set("line", l);
        } else {
            fields->set("operate", operateJson(state.operate.snapshot(common::nowMs())));
        }
        state.publish("support-operate", fields);
    }

    void requestStop(StopReason reason, const std::string& actor) {
        if (stop) return;
        stop = StopSwitch::Request{std::move(reason), actor};
    }
};

} // namespace

void TaskRunner::run(const TaskRequest& request, Response& res) {
    auto sessions = state_.services.find<AgentSessions>();
    if (!sessions) return res.error(503, "no-agent", "no agent plugin is loaded, so support cannot operate an agent");

    std::unique_ptr<TaskLock> lock;
    std::unique_ptr<Recorder> recorder;
    const auto startedAt = common::nowMs();
    try {
        std::string holder;
        lock = TaskLock::tryAcquire(state_.sessionsDir(), request.taskId, request.path, holder);
        if (!lock) return res.error(409, "busy", holder);
        recorder = Recorder::create(state_.sessionsDir(),
                                    RecordingInfo{request.taskId, request.mode, request.path, request.prompt, startedAt});
    } catch (const std::exception& e) {
        return res.error(500, "recording-failed", std::string("cannot record the support session: ") + e.what());
    }
    const std::string where = " (recording " + recorder->id() + ", via " + request.path + ")";
    if (!state_.audit("agent-task-start", kAgentTaskTier, true, "operator",
                      "task " + quoted(request.taskId) + " mode=" + request.mode + where)) {
        recorder->discard();
        return res.error(503, "audit-failed", "the audit feed could not be written, so the task is refused");
    }

    AgentRequest agentRequest;
    agentRequest.prompt = request.prompt;
    agentRequest.mode = request.mode == "plan" ? AgentMode::Plan : AgentMode::Build;
    agentRequest.appendSystemPrompt = kSupportSystemPrompt;
    AgentStartError startError;
    auto session = sessions->start(agentRequest, "", startError);
    if (!session) {
        Chunk end;
        end.type = "end";
        end.code = -1;
        end.reason = "start-failed";
        recorder->append({recordLine(errorChunk(startError.message), common::nowMs()), recordLine(end, common::nowMs())});
        recorder->finish();
        state_.audit("agent-task-end", kAgentTaskTier, false, "operator",
                     "task " + quoted(request.taskId) + " could not start: " + startError.message + where);
        return res.error(startError.status ? startError.status : 503,
                         startError.code.empty() ? "no-agent" : startError.code, startError.message);
    }

    // Whatever happens below (even a throw), the agent does not outlive the
    // task - a live agent idling after its turn included.
    struct CancelOnExit {
        std::shared_ptr<AgentSession> session;
        PluginState& state;
        ~CancelOnExit() {
            state.clearTaskSession();
            session->cancel("the support task ended");
        }
    } cancelOnExit{session, state_};
    state_.setTaskSession(session);
    auto stopSwitch = std::make_shared<StopSwitch>();
    state_.setRunning(stopSwitch, request.taskId);
    struct ClearOnExit {
        PluginState& state;
        std::shared_ptr<StopSwitch> stop;
        ~ClearOnExit() {
            state.operate.end(common::nowMs()); // a no-op when the task ended normally
            state.clearRunning(stop);
        }
    } clearOnExit{state_, stopSwitch};
    state_.operate.begin(request.taskId, startedAt);
    {
        auto fields = json::object();
        fields->set("taskId", request.taskId);
        fields->set("operate", operateJson(state_.operate.snapshot(common::nowMs())));
        state_.publish("support-operate", fields);
    }
    if (state_.log) state_.log->info("support task {} started{}", request.taskId, where);

    Run run(state_, request, res.stream(), *recorder);
    auto consent = state_.services.find<Consent>();
    // Any stop (the owner, a revoke seen by the guard below) cancels the
    // agent right away; the loop then audits it and ends the stream.
    stopSwitch->onStop([session](const StopSwitch::Request& r) { session->cancel(r.reason.message); });
    GrantGuard guard(state_.host.home, consent, *stopSwitch);
    run.session = session;
    if (consent) run.grantTier = consent->status().tier;
    Clock::time_point stoppedAt{};
    std::optional<Chunk> end;
    std::vector<Chunk> batch;

    // The stop is audited once, when the loop first sees it.
    auto noticeStop = [&](Clock::time_point now) {
        stoppedAt = now;
        session->cancel(run.stop->reason.message); // a no-op when onStop already did it
        state_.audit("agent-task-stop", kAgentTaskTier, true, run.stop->actor,
                     "task " + quoted(request.taskId) + " stopped: " + run.stop->reason.message + where);
        if (state_.log) state_.log->info("support task {} stopped: {}", request.taskId, run.stop->reason.message);
    };
    for (;;) {
        batch.clear();
        auto first = session->next(kWake);
        // A stop from another thread has already cancelled the agent: take
        // it before the chunks it caused (its error, the end) are delivered.
        if (!run.stop)
            if (auto r = stopSwitch->requested()) {
                run.requestStop(r->reason, r->actor);
                noticeStop(Clock::now());
            }
        if (first) {
            // Take whatever else is already waiting: one write for the lot.
            std::size_t bytes = 0;
            for (auto c = std::move(first); c; c = batch.size() < kBatchLines && bytes < kBatchBytes
                                                     ? session->next(milliseconds(0))
                                                     : std::optional<Chunk>()) {
                if (c->type == "end") {
                    end = std::move(c);
                    break;
                }
                bytes += c->text.size() + c->message.size() + 64;
                batch.push_back(std::move(*c));
            }
            run.deliver(batch);
        }
        if (end) break;

        const auto now = Clock::now();
        if (!run.stop) run.expirePrompts(common::nowMs());
        if (!run.stop) {
            if (run.clientGone || run.out->closed()) {
                run.clientGone = true;
                run.requestStop({"client-gone", "the support client went away (or wildws is stopping)"}, "operator");
            }
            if (auto r = stopSwitch->requested()) run.requestStop(r->reason, r->actor);
            if (run.stop) noticeStop(now);
        } else if (now - stoppedAt > kStopGrace) {
            // The agent's group is still being killed (the agent plugin sends
            // SIGKILL after its grace); the stream does not wait for it.
            Chunk c;
            c.type = "end";
            c.code = -1;
            c.reason = "cancelled";
            end = c;
            break;
        }
    }

    if (run.stop && !run.stopErrorSent) run.deliver({errorChunk(run.stop->reason.message)});
    auto endLine = json::parseObject(toJson(*end));
    if (!endLine) endLine = json::object();
    if (run.stop) {
        endLine->set("agentReason", end->reason);
        endLine->set("reason", run.stop->reason.code);
    }
    endLine->set("path", request.path);
    endLine->set("id", recorder->id());
    endLine->set("taskId", request.taskId);
    const std::string endText = json::toText(endLine);
    auto recorded = json::parseObject(endText);
    recorded->set("at", static_cast<Poco::Int64>(common::nowMs()));
    recorder->append(json::toText(recorded));
    recorder->finish();

    // Everything about the end is settled (operate state, audit, the lock)
    // before the client reads the end line: a caller that starts the next
    // task as soon as this one ends must not find it busy.
    state_.operate.end(common::nowMs());
    state_.clearRunning(stopSwitch);
    {
        auto fields = json::object();
        fields->set("taskId", request.taskId);
        fields->set("operate", operateJson(state_.operate.snapshot(common::nowMs())));
        state_.publish("support-operate", fields);
    }
    const std::string reason = json::getString(endLine, "reason").value_or("");
    const bool ok = !run.stop && end->code == 0;
    state_.audit("agent-task-end", kAgentTaskTier, ok, "operator",
                 "task " + quoted(request.taskId) + " ended: reason=" + reason + " code=" + std::to_string(end->code) +
                     (run.agent.empty() ? "" : " agent=" + run.agent) + ", " + std::to_string(recorder->lines()) +
                     " lines recorded" + where);
    lock.reset();
    if (!run.clientGone) run.out->writeLine(endText);
    if (state_.log) state_.log->info("support task {} ended: {} (code {})", request.taskId, reason, end->code);
}

} // namespace wildws::support
