// wildws SDK services for agents:
//   "wildws.agent-backend/1" (one per backend, named by its id): knows how to
//      find one agent CLI, how to launch it and how to read its output;
//   "wildws.agent-sessions/1" (the agent plugin): runs a backend as a child
//      process (new process group, polled pipes, stall and total timers,
//      group kill on cancel) and hands out its normalised chunks.
// A third party adds an agent by providing an AgentBackend; it never spawns
// processes itself.
//
// Two kinds of backend (ABI 2):
//   one-shot     launch() + newParser(): one process per turn, the prompt on
//                stdin or argv, stdout lines -> chunks, the turn ends when the
//                process exits. The generic command backend works like this.
//   interactive  capabilities().interactive and newProtocol(): one live
//                process per conversation, kept between turns. The agent
//                plugin still does all the spawning, polling, timers and
//                killing; the backend only supplies an AgentProtocol, a pure
//                state machine "stdout line in -> chunks out + lines to write
//                to stdin", "turn / decision / interrupt in -> lines to
//                write". It never touches a descriptor or a process, so it
//                can be unit-tested with strings alone.
//
// Writing an interactive backend:
//   1. capabilities(): interactive = true, and what the agent can do
//      (permissions, questions, interrupt, followUp, images).
//   2. launch(): the argv/env of the long-lived process (stdinText unused).
//   3. newProtocol(request): a fresh AgentProtocol for that process.
//      open() writes the handshake; ready() turns true once it is answered
//      (the runner gives up after [plugin.agent] handshake_seconds). turn()
//      writes one user turn; line() turns each stdout line into chunks and
//      may write answers back (e.g. to the agent's own bookkeeping requests).
//      A tool-permission request becomes a `permission` (or `question`) chunk
//      with a requestId unique within the process; the runner keeps it
//      pending until respond() is called with the owner's decision, and then
//      expects a `permission-resolved` chunk from respond(). Withdrawn by the
//      agent: emit `permission-resolved` with by = "agent". The turn ends
//      when line() emits an `end` chunk (reason completed, failed or
//      interrupted); the process stays up for the next turn.
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
///   permission  {requestId, tool(name), input(inputJson), title, suggestions(detailJson)}
///               the agent asks to use a tool; waits for respond()
///   question    {requestId, questions(detailJson)}: the agent asks the owner
///               [{question, header, options:[{label, description}], multiSelect}]
///   permission-resolved {requestId, decision, scope, by, message}
///               decision allow|deny, scope once|session, by owner|timeout|
///               agent|interrupt|policy|cli - a prompt is answered or withdrawn
///   end         {code, reason}               always last, exactly once per turn
///               reason: completed failed no-result cancelled stalled timeout
///               interrupted (ABI 2: the turn was stopped, the agent lives on)
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
    // ABI 2: prompts (permission, question, permission-resolved).
    std::string requestId;
    std::string title;
    std::string detailJson = "null"; // permission: suggestions; question: questions
    std::string decision;            // allow | deny
    std::string scope;               // once | session
    std::string by;                  // who decided: owner, timeout, agent, interrupt, policy, cli
};

/// The chunk as one JSON object (no newline), only with its type's fields.
WILDWS_EXPORT std::string toJson(const Chunk& chunk);

/// A chunk of `type` with every other field at its default.
inline Chunk makeChunk(std::string type) {
    Chunk c;
    c.type = std::move(type);
    return c;
}
/// An `error` chunk: one line for the owner (what, why, what to do).
inline Chunk errorChunk(std::string message) {
    Chunk c = makeChunk("error");
    c.message = std::move(message);
    return c;
}

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

/// An image on a user turn (ABI 2), for backends with capabilities().images.
struct AgentImage {
    std::string mediaType; // image/png, image/jpeg, image/gif, image/webp
    std::string data;      // base64, no data: prefix
};

struct AgentRequest {
    std::string prompt;
    std::vector<AgentImage> images; // ABI 2: only for backends that take images
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

/// What a backend can do (ABI 2). All false: a one-shot backend.
struct AgentCapabilities {
    bool interactive = false; // newProtocol(): one live process per conversation
    bool permissions = false; // asks before tools (permission chunks)
    bool questions = false;   // asks the owner questions (question chunks)
    bool interrupt = false;   // a turn can be stopped with the process kept
    bool followUp = false;    // a follow-up turn goes into the same process
    bool images = false;      // AgentRequest::images are passed on
};

/// The owner's answer to a prompt (ABI 2).
struct AgentDecision {
    std::string decision = "deny"; // allow | deny
    std::string scope = "once";    // once | session (allow for this conversation)
    std::string message;           // deny: the reason, told to the agent
    std::string answersJson;       // question: {"<question text>": "<label>"}, else empty
    bool stop = false;             // deny and end the turn (Stop pressed while asking)
    std::string by = "owner";      // who decided (goes into permission-resolved)
};

/// Drives one live interactive agent process (ABI 2). Made by
/// AgentBackend::newProtocol() for each process; the agent plugin calls it
/// from that process's runner thread only, so it needs no locking. `writes`
/// are complete lines without the newline, written to the agent's stdin in
/// order. Nothing may throw for bad agent output: skip it or emit an error.
class WILDWS_EXPORT AgentProtocol {
public:
    virtual ~AgentProtocol();
    /// Right after the spawn: the handshake lines (may be none).
    virtual void open(std::vector<std::string>& writes) = 0;
    /// Whether the handshake is done and turn() may be called.
    virtual bool ready() const = 0;
    /// One stdout line (no newline): chunks for the current turn and lines
    /// to write back. Ends a turn by emitting an `end` chunk.
    virtual void line(std::string_view line, std::vector<Chunk>& chunks, std::vector<std::string>& writes) = 0;
    /// Starts a turn (called only when ready() and no turn runs).
    virtual void turn(const AgentRequest& request, std::vector<Chunk>& chunks, std::vector<std::string>& writes) = 0;
    /// Answers a prompt it emitted and not yet resolved: writes the answer
    /// and emits its `permission-resolved` chunk.
    virtual void respond(const std::string& requestId, const AgentDecision& decision, std::vector<Chunk>& chunks,
                         std::vector<std::string>& writes) = 0;
    /// Stops the running turn; the agent is expected to end it (`end`
    /// interrupted) soon. Pending prompts were already answered with stop.
    virtual void interrupt(std::vector<Chunk>& chunks, std::vector<std::string>& writes) = 0;
    /// The agent's own conversation id (for --resume after an idle restart).
    virtual std::string resumeId() const = 0;
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
    /// ABI 2. The default: a one-shot backend.
    virtual AgentCapabilities capabilities() const { return {}; }
    /// ABI 2. For capabilities().interactive: the protocol for one process
    /// started with launch(request). The default (one-shot) returns null.
    virtual std::unique_ptr<AgentProtocol> newProtocol(const AgentRequest& request) const;
};

/// respond()'s outcome (ABI 2); the HTTP routes map it to 200/404/409/400.
enum class RespondResult { Ok, UnknownRequest, AlreadyAnswered, BadDecision };

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
    /// Whether the current turn has ended (its `end` chunk was produced).
    virtual bool finished() const = 0;

    // ABI 2: interactive sessions. A one-shot session answers
    // UnknownRequest / false / false / {} and behaves as before.
    /// Answers a pending prompt of the running turn. Thread-safe; returns at
    /// once (the answer reaches the agent from the runner thread).
    virtual RespondResult respond(const std::string& requestId, const AgentDecision& decision) = 0;
    /// Stops the running turn and keeps the agent alive; the turn ends with
    /// `end` reason interrupted. False: no turn runs, or it cannot.
    virtual bool interrupt() = 0;
    /// A follow-up turn into the same live process, once finished(); next()
    /// then yields its chunks (`start` first, `end` last). False: the
    /// process is gone (idle timeout, exit) or a turn still runs - start a
    /// new session with the resume id instead.
    virtual bool send(const AgentRequest& request) = 0;
    /// The prompts of the running turn not yet answered (permission and
    /// question chunks), oldest first.
    virtual std::vector<Chunk> pending() const = 0;
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
    /// Returns the session, or fills `error` and returns null. With an
    /// interactive backend the process outlives the turn (for send()) until
    /// [plugin.agent] idle_seconds pass: call cancel() when done with it.
    virtual std::shared_ptr<AgentSession> start(const AgentRequest& request, const std::string& agentId,
                                                AgentStartError& error) = 0;
    virtual std::shared_ptr<AgentSession> find(const std::string& sessionId) = 0;
};

} // namespace wildws
