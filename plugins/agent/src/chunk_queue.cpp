#include "chunk_queue.hpp"

namespace wildws::agent {

std::size_t ChunkQueue::weight(const Chunk& c) {
    return 64 + c.text.size() + c.inputJson.size() + c.summary.size() + c.message.size();
}

void ChunkQueue::push(std::vector<Chunk>& chunks) {
    if (chunks.empty()) return;
    {
        std::lock_guard lock(m_);
        for (auto& c : chunks) {
            bytes_ += weight(c);
            q_.push_back(std::move(c));
        }
    }
    chunks.clear();
    readable_.notify_all();
}

bool ChunkQueue::waitForRoom(std::chrono::milliseconds d) {
    std::unique_lock lock(m_);
    if (!full()) return true;
    writable_.wait_for(lock, d, [&] { return !full() || interrupted_; });
    interrupted_ = false;
    return !full();
}

void ChunkQueue::interrupt() {
    {
        std::lock_guard lock(m_);
        interrupted_ = true;
    }
    writable_.notify_all();
}

std::optional<Chunk> ChunkQueue::pop(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_);
    if (endOut_) return std::nullopt;
    if (q_.empty() && timeout.count() > 0) readable_.wait_for(lock, timeout, [&] { return !q_.empty(); });
    if (q_.empty()) return std::nullopt;
    Chunk c = std::move(q_.front());
    q_.pop_front();
    bytes_ -= weight(c);
    if (c.type == "end") endOut_ = true;
    bool wake = !full();
    lock.unlock();
    if (wake) writable_.notify_all();
    return c;
}

void ChunkQueue::reopen() {
    {
        std::lock_guard lock(m_);
        q_.clear();
        bytes_ = 0;
        endOut_ = false;
    }
    writable_.notify_all();
}

bool ChunkQueue::endHandedOut() const {
    std::lock_guard lock(m_);
    return endOut_;
}

} // namespace wildws::agent
