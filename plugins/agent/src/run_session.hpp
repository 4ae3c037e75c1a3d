// What the session manager needs of a run, one-shot (ProcessSession) or live
// (LiveSession): the SDK's AgentSession plus the runner's own bookkeeping.
#pragma once

#include <wildws/services/agent.hpp>

#include <sys/types.h>

#include <string>

namespace wildws::agent {

class RunSession : public AgentSession {
public:
    virtual const std::string& agent() const = 0;
    virtual pid_t pid() const = 0;
    /// The agent's own conversation id, once seen.
    virtual std::string resumeId() const = 0;
    /// The child's whole life; call once, on a thread of its own, after spawn().
    virtual void run() = 0;
    /// The runner is done: no process of it is left, its thread can be joined.
    virtual bool exited() const = 0;
    /// A live process waiting for the next turn (send() would be taken).
    virtual bool live() const { return false; }
    /// The reader of the current turn went away. One-shot: cancel. Live: the
    /// turn goes on (its prompts can be answered from another tab) and its
    /// chunks are only recorded.
    virtual void detach(const std::string& why) { cancel(why); }
    /// Ends an idle live process now (to make room); false if it is busy.
    virtual bool closeIfIdle() { return false; }
};

} // namespace wildws::agent
