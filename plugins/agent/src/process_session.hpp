// One agent run: a child process group (wildws::ChildProcess), its output
// turned into chunks.
//
// run() is the whole life of the child, on one thread (the runner): it polls
// stdout, stderr, the stdin pipe (when a prompt is written there), a pidfd for
// the leader's exit and an eventfd for cancel, all together, so no pipe can
// fill up and deadlock either side. Timers: stall (no output for N s), total
// (wall clock) and, once stopping, the SIGTERM -> SIGKILL grace. The `end`
// chunk is produced only after ChildProcess::finish(): the group killed, every
// member gone and the leader reaped, so a reader that has seen `end` knows no
// process of the run is left (short of one that escaped with setsid).
#pragma once

#include "chunk_queue.hpp"
#include "run_session.hpp"
#include "wakeup.hpp"

#include <wildws/process.hpp>
#include <wildws/services/agent.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

struct RunLimits {
    std::chrono::milliseconds stall{300000};
    std::chrono::milliseconds total{3600000};
    std::chrono::milliseconds killGrace{1500};
    /// After the leader exits, how long to keep reading pipes that something
    /// else in the group still holds open before killing the group.
    std::chrono::milliseconds linger{500};
    std::size_t stderrMaxBytes = 1 << 20;
    std::size_t maxLineBytes = 16 << 20;
    std::size_t queueChunks = 8192;
    std::size_t queueBytes = 32 << 20;
    /// The backend's advice on a known refusal in stderr ("" for none).
    std::function<std::string(const std::string&)> adviseOnStderr;
};

/// Sees every chunk, in order, on the runner thread, before any reader does
/// (the conversation store appends them to disk here).
using ChunkSink = std::function<void(const std::vector<Chunk>&)>;

class ProcessSession : public RunSession {
public:
    ProcessSession(std::string id, std::string agent, std::unique_ptr<AgentOutputParser> parser, RunLimits limits,
                   ChunkSink sink = {});
    ~ProcessSession() override;

    /// Starts the child (stdin: a pipe that gets `stdinText` then closes, or
    /// /dev/null when it is empty) and queues the `start` chunk. Throws
    /// std::runtime_error.
    void spawn(const SpawnOptions& spec, std::string stdinText);
    /// The child's whole life; call once, on a thread of its own, after spawn().
    void run() override;

    const std::string& id() const override { return id_; }
    std::optional<Chunk> next(std::chrono::milliseconds timeout) override;
    void cancel(const std::string& why) override;
    bool finished() const override { return finished_.load(); }
    // One-shot: nothing to answer, nothing to interrupt, no follow-up.
    RespondResult respond(const std::string&, const AgentDecision&) override { return RespondResult::UnknownRequest; }
    bool interrupt() override { return false; }
    bool send(const AgentRequest&) override { return false; }
    std::vector<Chunk> pending() const override { return {}; }

    const std::string& agent() const override { return agent_; }
    pid_t pid() const override { return pid_; }
    std::string resumeId() const override;
    bool exited() const override { return finished_.load(); }

private:
    enum class Stop { None, Cancelled, Stalled, Timeout };
    struct Loop; // the runner's local state

    void deliver(std::vector<Chunk>& batch, bool last = false);
    void parseLine(std::string_view line, std::vector<Chunk>& batch);
    void takeStderr(const char* data, std::size_t n, bool eof, std::vector<Chunk>& batch);
    void finish(Loop& loop, int code);

    const std::string id_, agent_;
    std::unique_ptr<AgentOutputParser> parser_;
    const RunLimits limits_;
    ChunkSink sink_;
    ChunkQueue queue_;
    std::optional<ChildProcess> group_;
    pid_t pid_ = -1;
    std::string stdinText_;
    Wakeup wake_; // rung by cancel(); closed in finish()

    std::atomic<bool> cancelRequested_{false};
    std::atomic<bool> finished_{false};
    mutable std::mutex m_;
    std::string cancelWhy_;
    std::string resumeId_;

    // Runner-thread only.
    std::string errPartial_;
    std::size_t stderrShown_ = 0, stderrDropped_ = 0;
    bool parserErrorSeen_ = false;
    bool parserThrew_ = false;
    bool advised_ = false;
};

} // namespace wildws::agent
