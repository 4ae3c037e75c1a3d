// Runs one support agent-task: the same code in serve (the daemon relays to
// it) and in the daemon (its fallback while serve is down).
//
//   one task at a time (TaskLock)           else 409 busy
//   the recording is created                else 500 recording-failed
//   "agent-task-start" is audited           else 503 audit-failed (fail closed)
//   the agent starts (AgentSessions)        else its error (503 no-agent, ...)
//   then every chunk is recorded, shown in the operate state and streamed.
//
// While it runs it wakes at least every 100 ms and stops the agent when the
// grant no longer allows tier 3 (Consent::status() every 250 ms: a revoke or
// expiry in any process, a hand-edited file), when the client has gone, or
// when the owner presses Stop (StopSwitch). A stop sends an `error` chunk
// saying why, is audited ("agent-task-stop"), and the stream ends within 1 s
// even if the agent's group is slow to die. The last line is
// {"type":"end","code","reason","path","id","taskId"}; "agent-task-end" is
// audited with the outcome.
#pragma once

#include "plugin_state.hpp"

#include <wildws/http.hpp>

#include <string>

namespace wildws::support {

/// The seed's support system prompt, appended to the agent's own.
extern const char* const kSupportSystemPrompt;
constexpr int kAgentTaskTier = 3;

struct TaskRequest {
    std::string prompt;   // trimmed, non-empty
    std::string taskId;   // at most 64 characters
    std::string mode;     // plan | build
    std::string path;     // serve | daemon: where it runs (said in the end line)
};

class TaskRunner {
public:
    explicit TaskRunner(PluginState& state) : state_(state) {}
    /// Answers `res`: an error before any streaming, or the whole stream.
    void run(const TaskRequest& request, Response& res);

private:
    PluginState& state_;
};

} // namespace wildws::support
