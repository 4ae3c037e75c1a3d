// wildws SDK services for agents:
//   "wildws.agent-backend/1" (one per backend, named by its id): knows how to
//      find one agent CLI, how to launch it and how to read its output;
//   "wildws.agent-sessions/1" (the agent plugin): runs a backend as a child
//      process (new process group, polled pipes, stall and total timers,
//      group kill on cancel) and hands out its normalised chunks.
// A third party adds an agent by providing an AgentBackend; it never spawns
// processes itself.
#pragma once

#include <wildws/export.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wildws {

/// One normalised piece of an agent's output. `type` says which fields mean
/// something:
///   start       {sessionId, agent}           always first, from AgentSessions
///   text        {text}
///   thinking    {text}
///   tool-use    {name, inputJson}
///   tool-result {ok, summary}
///   usage       {costUsd, tokens, durationMs} (-1 when unknown)
///   error       {message}
///   stderr      {text}
///   end         {code, reason}               always last, exactly once
/// `resumeId` (on any chunk) is the agent's own conversation id, for resume.
struct Chunk {
    std::string type;
    std::string text;
    std::string name;
    std::string inputJson = "{}";
    bool ok = true;
    std::string summary;
    double costUsd = -1;
    std::int64_t tokens = -1;
    std::int64_t durationMs = -1;
    std::string message;
    int code = 0;
    std::string reason;
    std::string sessionId;
    std::string agent;
    std::string resumeId;
};

/// The chunk as one JSON object (no newline), only with its type's fields.
WILDWS_EXPORT std::string toJson(const Chunk& chunk);

struct AgentDetection {
    bool found = false;
    std::string path;
    std::string version;
    std::string reason;      // why not found
    std::string installHint; // how to get it
};

enum class AgentMode { Build, Plan };

struct AgentLimits {
    std::chrono::seconds stall{0}; // 0: the plugin's configured default
    std::chrono::seconds total{0};
};

struct AgentRequest {
    std::string prompt;
    std::string cwd;
    AgentMode mode = AgentMode::Build;
    std::string appendSystemPrompt;
    std::string resumeId;    // continue the agent's conversation, if supported
    AgentLimits limits;
};

/// How to run the agent: argv[0] is an absolute path; no shell is involved.
struct AgentLaunch {
    std::vector<std::string> argv;
    std::string stdinText;   // written then closed; empty: stdin is /dev/null
    std::vector<std::pair<std::string, std::string>> env; // added to a scrubbed env
};

/// Turns the agent's stdout lines into chunks. One parser per run, used from
/// one thread.
class WILDWS_EXPORT AgentOutputParser {
public:
    virtual ~AgentOutputParser();
    /// Appends zero or more chunks for one stdout line (no newline). Unknown
    /// or malformed lines must not throw: skip them or emit an error chunk.
    virtual void line(std::string_view line, std::vector<Chunk>& out) = 0;
    /// Whether the agent's final result event was seen. A run that exits
    /// without it ends with an error chunk, never as success.
    virtual bool sawFinalResult() const = 0;
};

class WILDWS_EXPORT AgentBackend {
public:
    static constexpr const char* kServiceId = "wildws.agent-backend/1";
    virtual ~AgentBackend();
    virtual std::string id() const = 0;          // "claude"
    virtual std::string displayName() const = 0; // "Claude Code"
    virtual AgentDetection detect() const = 0;
    virtual bool canResume() const = 0;
    /// Throws std::runtime_error with one line if it cannot launch.
    virtual AgentLaunch launch(const AgentRequest& request, const AgentDetection& found) const = 0;
    virtual std::unique_ptr<AgentOutputParser> newParser() const = 0;
};

/// A running (or finished) agent session. Thread-safe.
class WILDWS_EXPORT AgentSession {
public:
    virtual ~AgentSession();
    virtual const std::string& id() const = 0;
    /// The next chunk, waiting up to `timeout`; nullopt on timeout and after
    /// the `end` chunk was handed out.
    virtual std::optional<Chunk> next(std::chrono::milliseconds timeout) = 0;
    /// SIGTERM to the whole process group, SIGKILL after the grace period.
    /// The session then ends with an error chunk carrying `why` and `end`.
    virtual void cancel(const std::string& why) = 0;
    virtual bool finished() const = 0;
};

struct AgentStartError {
    int status = 0;          // the HTTP status it maps to: 400, 429, 503
    std::string code;        // "unknown-agent", "no-agent", "too-many-sessions", ...
    std::string message;
};

class WILDWS_EXPORT AgentSessions {
public:
    static constexpr const char* kServiceId = "wildws.agent-sessions/1";
    virtual ~AgentSessions();
    /// Starts `agentId` (empty: the default, the first one detected).
    /// Returns the session, or fills `error` and returns null.
    virtual std::shared_ptr<AgentSession> start(const AgentRequest& request, const std::string& agentId,
                                                AgentStartError& error) = 0;
    virtual std::shared_ptr<AgentSession> find(const std::string& sessionId) = 0;
};

} // namespace wildws
