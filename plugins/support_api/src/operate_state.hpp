// The live "support is operating your agent" state the owner's banner shows:
// which task, since when, and its last lines. The seed's rules: a text chunk
// becomes its trimmed first 160 characters, a tool-use "⚙ <name>", an error
// "⚠ <message>"; at most 40 lines are kept; after the task ends the state
// lingers 12 s (so the owner can read how it ended), then clears.
// Thread-safe: the task's thread writes, route and tick threads read.
#pragma once

#include <wildws/services/agent.hpp>

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::support {

constexpr std::size_t kOperateLineCap = 40;
constexpr std::int64_t kOperateLingerMs = 12000;
constexpr std::size_t kOperateStatusLines = 12;
constexpr std::size_t kOperateLineChars = 160;
/// How many answered or withdrawn prompts the state remembers (newest last).
constexpr std::size_t kOperateResolvedCap = 5;

/// The banner line for a chunk, or nullopt for chunks the banner skips.
std::optional<std::string> operateLineFor(const Chunk& chunk);

struct OperateLine {
    std::int64_t ts = 0;
    std::string text;
};

/// A prompt of the running task's agent that waits for the owner.
struct OperatePrompt {
    std::string requestId, kind, tool, title; // kind: permission | question
    std::string inputJson = "{}";             // the tool input, or {"questions": [...]}
    std::int64_t askedAt = 0, deadline = 0;   // ms since epoch; deadline 0: none
};

/// A prompt that left `pending`: how it was decided, so the page can say
/// why a card vanished (answered in another tab, by the CLI, timed out,
/// withdrawn by the agent).
struct OperateResolved {
    std::string requestId;
    std::string decision; // allow | deny
    std::string scope;    // once | session
    std::string by;       // owner, timeout, grant, agent, interrupt, ...
    std::int64_t at = 0;  // ms since epoch
};

struct OperateSnapshot {
    bool active = false; // the task still runs
    std::string taskId;
    std::int64_t startedAt = 0;
    std::int64_t endedAt = 0; // 0 while active
    std::vector<OperateLine> lines;
    std::vector<OperatePrompt> pending; // oldest first
    std::vector<OperateResolved> resolved; // the last kOperateResolvedCap, oldest first
};

class OperateState {
public:
    explicit OperateState(std::size_t cap = kOperateLineCap, std::int64_t lingerMs = kOperateLingerMs)
        : cap_(cap), lingerMs_(lingerMs) {}

    /// A new task: replaces whatever lingered.
    void begin(const std::string& taskId, std::int64_t nowMs);
    /// Adds the chunk's line, if it has one, and returns it.
    std::optional<OperateLine> add(const Chunk& chunk, std::int64_t nowMs);
    void end(std::int64_t nowMs);
    /// The state with its last `lastN` lines; nullopt when there is none or
    /// the finished task has lingered long enough.
    std::optional<OperateSnapshot> snapshot(std::int64_t nowMs, std::size_t lastN = kOperateStatusLines) const;
    /// The running task's agent asks; the prompt waits in the snapshot.
    void addPrompt(OperatePrompt prompt);
    /// Takes it out (answered, withdrawn, expired); false when it was not there.
    bool removePrompt(const std::string& requestId, OperatePrompt* out = nullptr);
    /// Remembers how a prompt of the running task was decided (the last few).
    void addResolved(OperateResolved resolved);
    /// Pending prompts whose deadline has passed, taken out.
    std::vector<OperatePrompt> takeExpired(std::int64_t nowMs);
    /// Forgets a finished task once it has lingered; true when it did just now.
    bool expire(std::int64_t nowMs);

private:
    bool lingeredOut(std::int64_t nowMs) const { return done_ && nowMs - endedAt_ >= lingerMs_; }

    const std::size_t cap_;
    const std::int64_t lingerMs_;
    mutable std::mutex m_;
    bool present_ = false;
    bool done_ = false;
    std::string taskId_;
    std::int64_t startedAt_ = 0;
    std::int64_t endedAt_ = 0;
    std::deque<OperateLine> lines_;
    std::vector<OperatePrompt> prompts_;
    std::deque<OperateResolved> resolved_;
};

} // namespace wildws::support
