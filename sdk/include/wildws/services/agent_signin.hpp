// wildws SDK service "wildws.agent-signin/1": whether an agent CLI is signed
// in, and how to start its own sign-in. Optional: a backend provides it
// under the SAME name as its AgentBackend ("claude", "gemini", ...); an agent
// without it is reported as "unknown" and is started as usual.
//
// Who uses it:
//   - `wildws agent list`, GET /api/agents: signedIn true/false/null and,
//     when false, the one line that says how to sign in;
//   - the agent plugin answers a prompt to an agent known to be signed out
//     at once with that line, instead of starting the agent;
//   - POST /api/agents/:id/login and `wildws agent login ID` run login() in a
//     pseudo-terminal (the CLI's own interaction), then call refresh();
//   - `wildws doctor`.
//
// A provider never spawns a sign-in itself and never prompts: status() is a
// cheap look (a settings file, an environment variable, or a short
// `<cli> auth status` under a timeout) and login() only says what to run.
//
// THREADS AND LIFETIME: like every service, an AgentSignin may be called from
// any thread at once and lives until process exit. status() may block for
// the provider's probe timeout (a few seconds at most); providers cache it
// (as detection is cached) so a list of agents does not spawn a process per
// request. Nothing here holds a secret: `how` and `method` are shown to the
// owner and may be logged, so they must never contain a key or a token.
#pragma once

#include <wildws/export.hpp>
#include <wildws/services/agent.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wildws {

enum class SigninState { Unknown, SignedIn, SignedOut };

struct AgentSigninStatus {
    SigninState state = SigninState::Unknown;
    /// SignedOut: the one line that says how to sign in ("Claude Code is not
    /// signed in: click Sign in, or run `claude auth login`"). Unknown: why
    /// it cannot be told. SignedIn: empty.
    std::string how;
    /// SignedIn: how, without a secret ("claude.ai account", "ANTHROPIC_API_KEY",
    /// "GEMINI_API_KEY"); may be empty.
    std::string method;
};

/// The agent's own sign-in, run in a pseudo-terminal by the caller.
struct AgentSigninLaunch {
    std::vector<std::string> argv; // argv[0] an absolute path; no shell
    std::vector<std::pair<std::string, std::string>> env; // added to the scrubbed environment
    /// TCP ports on 127.0.0.1 the sign-in listens on for its browser callback
    /// (codex: 1455), so the caller can say which port is busy, and check it
    /// is free again once the sign-in was stopped. May be empty.
    std::vector<int> callbackPorts;
};

class WILDWS_EXPORT AgentSignin {
public:
    static constexpr const char* kServiceId = "wildws.agent-signin/1";
    virtual ~AgentSignin();
    /// Cheap, without a prompt, cached by the provider. Never throws: a
    /// failing probe is Unknown with the reason in `how`.
    virtual AgentSigninStatus status() const = 0;
    /// What is known without looking again: the cached status() while it is
    /// fresh, else nullopt. Never blocks (a provider whose look is only a
    /// file read may just return status()). The agent plugin asks this before
    /// each prompt, so a signed-in agent's prompt never waits on a probe.
    virtual std::optional<AgentSigninStatus> knownStatus() const = 0;
    /// Forgets the cached status, so the next status() looks again (called
    /// after a sign-in ended, whatever its outcome).
    virtual void refresh() = 0;
    /// What to run for the agent's own sign-in, given where detection found
    /// the CLI. Throws std::runtime_error with one line when there is no
    /// interactive sign-in to run (e.g. a CLI signed in by an API key only).
    virtual AgentSigninLaunch login(const AgentDetection& found) const = 0;
};

/// Optional, implemented by an AgentOutputParser (ABI 2): it is also handed
/// the agent's stderr, line by line, on the runner thread. For a CLI that
/// reports some failures only there (gemini exits 41 with "Please set an
/// Auth method ..." on stderr and nothing on stdout): the parser can turn
/// that into one error chunk that says what to do and count it as the run's
/// final result, so the owner does not get a second, vaguer error. The
/// stderr text still reaches the owner as `stderr` chunks, as before.
class WILDWS_EXPORT AgentStderrReader {
public:
    virtual ~AgentStderrReader();
    /// One stderr line (no newline, valid UTF-8). May append chunks.
    virtual void stderrLine(std::string_view line, std::vector<Chunk>& out) = 0;
};

} // namespace wildws
