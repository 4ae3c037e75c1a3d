// Conversations on disk: <home>/sessions/<id>.jsonl (0600), one JSON object a
// line, appended as chunks arrive:
//   {"type":"prompt","text":..,"agent":..,"mode":..,"cwd":..,"at":ms,"resumed":bool[,"notice":..]}
//   then that turn's chunks exactly as on the wire (start ... end), and so on
//   for every follow-up turn.
// Beside it <id>.meta.json (0600, replaced atomically) keeps what the list
// needs, so listing never reads transcripts; a missing or corrupt meta file is
// rebuilt from the transcript.
#pragma once

#include <wildws/services/agent.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace wildws::agent {

struct ConversationMeta {
    std::string id;
    std::string agent;
    std::string title;      // the first prompt's first line, shortened
    std::string cwd;
    std::string mode;       // "plan" | "build" (last turn)
    std::string resumeId;   // the agent's own id, for the next turn
    std::int64_t createdAt = 0, updatedAt = 0; // ms since epoch
    int turns = 0;
    int lastCode = 0;
    std::string lastReason; // the last turn's end reason; "" if it never ended

    std::string toJson() const;
    static std::optional<ConversationMeta> fromJson(const std::string& text);
};

struct TurnInfo {
    std::string prompt, agent, mode, cwd;
    bool resumed = false;
    std::string notice;     // why a follow-up starts a fresh agent conversation
};

/// Appends one turn's chunks; used from the session's runner thread only.
class TurnRecorder {
public:
    TurnRecorder(int fd, std::string metaPath, ConversationMeta meta, std::shared_ptr<spdlog::logger> log);
    ~TurnRecorder();
    TurnRecorder(const TurnRecorder&) = delete;
    TurnRecorder& operator=(const TurnRecorder&) = delete;
    void append(const std::vector<Chunk>& chunks);

private:
    void writeAll(const std::string& bytes);
    void saveMeta();
    int fd_;
    std::string metaPath_;
    ConversationMeta meta_;
    std::shared_ptr<spdlog::logger> log_;
    bool failed_ = false;
    bool metaDirty_ = true; // the turn's meta is saved off the request's path (see append)
    int appends_ = 0;
};

class ConversationStore {
public:
    ConversationStore(std::string dir, std::shared_ptr<spdlog::logger> log);

    /// Ids are what we make: [A-Za-z0-9_-], 1..64 characters.
    static bool validId(const std::string& id);
    static std::int64_t nowMs();

    const std::string& dir() const { return dir_; }
    bool exists(const std::string& id) const;
    std::optional<ConversationMeta> load(const std::string& id) const;
    /// Newest first (updatedAt), at most `limit`.
    std::vector<ConversationMeta> list(std::size_t limit) const;
    /// The transcript's complete lines (a torn last line is left out).
    std::optional<std::string> transcript(const std::string& id) const;
    /// Writes the turn's prompt line and returns the recorder for its chunks.
    /// Throws std::runtime_error when the file cannot be opened safely.
    std::unique_ptr<TurnRecorder> beginTurn(const std::string& id, const TurnInfo& turn);

private:
    std::string path(const std::string& id, const char* ext) const { return dir_ + "/" + id + ext; }
    std::optional<ConversationMeta> rebuild(const std::string& id) const;
    void ensureDir() const;

    std::string dir_;
    std::shared_ptr<spdlog::logger> log_;
};

} // namespace wildws::agent
