// The hand-over between a session's runner thread and whoever reads it.
// Bounded, so a reader that falls behind slows the agent down (its pipe
// fills) instead of growing memory; the runner's last chunks (error, end)
// always fit. After `end` was handed out, pop() returns nullopt for good.
#pragma once

#include <wildws/services/agent.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace wildws::agent {

class ChunkQueue {
public:
    ChunkQueue(std::size_t maxChunks, std::size_t maxBytes) : maxChunks_(maxChunks), maxBytes_(maxBytes) {}

    /// Appends without waiting (the caller checked room() or must not block).
    void push(std::vector<Chunk>& chunks);
    /// Whether there is room for more; waits up to `d` for a reader to make some.
    bool waitForRoom(std::chrono::milliseconds d);
    /// Wakes waitForRoom() early (cancel).
    void interrupt();

    std::optional<Chunk> pop(std::chrono::milliseconds timeout);
    /// A live session's next turn: drops what is left and hands out again.
    void reopen();
    bool endHandedOut() const;

private:
    static std::size_t weight(const Chunk& c);
    bool full() const { return q_.size() >= maxChunks_ || bytes_ >= maxBytes_; }

    const std::size_t maxChunks_, maxBytes_;
    mutable std::mutex m_;
    std::condition_variable readable_, writable_;
    std::deque<Chunk> q_;
    std::size_t bytes_ = 0;
    bool endOut_ = false;
    bool interrupted_ = false;
};

} // namespace wildws::agent
