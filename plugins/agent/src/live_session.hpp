// One live interactive agent process (an AgentProtocol backend): many turns,
// tool-permission prompts answered while the turn waits, interrupt.
//
// The runner thread (run()) owns the process (a wildws::ChildProcess: its own
// group, clean signals, pipes, "finished" only once the whole group is gone)
// and the protocol. It polls
// stdout, stderr, stdin (when lines wait to be written), a pidfd and an
// eventfd that other threads ring after queueing a command (send, respond,
// interrupt, cancel). Everything the protocol says goes through it, so the
// protocol needs no locks.
//
// Turns: a turn starts with `start` (pushed by spawn() or send()) and ends
// with the protocol's `end`; between turns the process idles until the next
// send(), `idle` (then stdin is closed: the agent exits and the next turn
// respawns it with its resume id) or cancel().
//
// Prompts: every `permission` / `question` chunk of the turn is pending until
// respond() (the owner), the agent withdrawing it (permission-resolved by
// agent), the permission timeout (denied, by timeout), interrupt() (denied
// with stop, by interrupt) or the process dying (by agent). Waiting for an
// answer is not a stall: the stall and total timers do not run meanwhile.
#pragma once

#include "chunk_queue.hpp"
#include "process_session.hpp"
#include "run_session.hpp"
#include "wakeup.hpp"

#include <wildws/process.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace wildws::agent {

struct LiveLimits {
    std::chrono::milliseconds idle{600000};            // idle_seconds
    std::chrono::milliseconds handshake{60000};        // handshake_seconds
    std::chrono::milliseconds permissionTimeout{0};    // permission_timeout_seconds; 0: never
    std::chrono::milliseconds interruptGrace{10000};   // an interrupted turn must end within this
    std::chrono::milliseconds closeGrace{5000};        // stdin closed -> SIGTERM
};

/// Told about each new prompt and each resolution, on the runner thread.
using PromptListener = std::function<void(const Chunk&)>;

class LiveSession : public RunSession {
public:
    LiveSession(std::string id, std::string agent, std::unique_ptr<AgentProtocol> protocol, RunLimits limits,
                LiveLimits live, ChunkSink sink, PromptListener listener = {});
    ~LiveSession() override;

    /// Starts the process, queues the first turn and its `start` chunk.
    void spawn(const SpawnOptions& spec, const AgentRequest& first);
    void run() override;

    const std::string& id() const override { return id_; }
    std::optional<Chunk> next(std::chrono::milliseconds timeout) override;
    void cancel(const std::string& why) override;
    bool finished() const override { return finished_.load(); }
    RespondResult respond(const std::string& requestId, const AgentDecision& decision) override;
    bool interrupt() override;
    bool send(const AgentRequest& request) override { return send(request, {}); }
    /// send(), with `prepare` run under the session's lock once it is sure
    /// the turn is taken and before any of its chunks can exist (the manager
    /// opens the turn's transcript there). `prepare` may throw: then nothing
    /// was sent and the exception propagates.
    bool send(const AgentRequest& request, const std::function<void()>& prepare);
    std::vector<Chunk> pending() const override;

    const std::string& agent() const override { return agent_; }
    pid_t pid() const override { return pid_; }
    std::string resumeId() const override;
    bool exited() const override { return exited_.load(); }
    bool live() const override { return alive_.load() && finished_.load(); }
    void detach(const std::string& why) override;
    bool closeIfIdle() override;
    /// The settings this process was started with (a follow-up needs the same).
    std::string mode, cwd;

private:
    struct Command {
        enum Kind { Turn, Respond, Interrupt, Close } kind;
        AgentRequest request;
        std::string requestId;
        AgentDecision decision;
    };
    struct Loop;

    void wake();
    void deliver(std::vector<Chunk>& batch);
    void track(std::vector<Chunk>& batch, Loop& loop);
    void takeStderr(const char* data, std::size_t n, bool eof, std::vector<Chunk>& batch);
    void write(Loop& loop, std::vector<std::string>& lines);
    void resolveAllPending(Loop& loop, const std::string& by, const std::string& message, std::vector<Chunk>& batch);
    void endTurn(Loop& loop, std::vector<Chunk>& batch, const std::string& reason, int code);

    const std::string id_, agent_;
    std::unique_ptr<AgentProtocol> protocol_;
    const RunLimits limits_;
    const LiveLimits live_;
    ChunkSink sink_;
    PromptListener listener_;
    ChunkQueue queue_;
    std::optional<ChildProcess> child_; // the SDK's child-process facility
    pid_t pid_ = -1;
    Wakeup wake_; // rung after queueing a command; closed when the runner ends

    std::atomic<bool> finished_{false}; // the current turn has ended
    std::atomic<bool> alive_{false};    // the process takes turns
    std::atomic<bool> exited_{false};
    std::atomic<bool> detached_{false};
    mutable std::mutex m_;
    std::deque<Command> commands_;
    bool cancelRequested_ = false;
    std::string cancelWhy_;
    std::string resumeId_;
    std::vector<Chunk> pending_;       // unanswered prompts of the turn, oldest first
    std::set<std::string> answered_;   // this process's resolved prompt ids

    // Runner-thread only.
    std::string errPartial_;
    std::size_t stderrShown_ = 0;
};

} // namespace wildws::agent
