// wildws SDK - the ABI version a plugin is built against.
//
// The host loads a plugin only when the plugin's exported number equals the
// host's, exactly. C++ vtables and struct layouts cannot grow compatibly, so
// there is no "older is fine" range.
//
// WHEN TO BUMP: on ANY change to a header under wildws/ that alters layout or
// behaviour a compiled plugin relies on: a virtual function added, removed or
// reordered (even appended), a member added to a struct passed across the
// boundary, an enum value added, a changed signature or ownership rule.
// Comment-only and new inline non-virtual helpers need no bump.
//
// ABI 2 (one bump for the whole round; each change adds its line):
// - process.hpp (new): ChildProcess, SpawnOptions, runToEnd(),
//   childEnvironment(), processStartTime(): the one child-process facility
//   (process group, clean signals, pipes or a PTY, group kill, "ended" only
//   when the whole group is gone), so no plugin writes its own spawner.
// - agent_detect.hpp (new): detectAgent(), findExecutable(): a backend
//   reports path and version like the built-in ones in one line.
// - secure.hpp: readStateFile, openAppendFile, ensurePrivateDir (safe
//   state-file access: no symlinks, regular files only, owner and mode
//   checks, size caps); writeFileAtomic flocks its temp file and removes
//   the temp files of dead writers.
// - command.hpp: CommandSpec::rawStderr (the host prefixes a plugin
//   command's error lines with "wildws: <command>: " unless it relays
//   another program's stderr).
// - plugin.hpp/config.hpp: PluginInfo::configKeys (struct ConfigKey), so
//   the host can warn about unknown keys and `config check` show defaults.
// - services/consent.hpp: AuditEntry::legacy, AuditFeed, readAuditFeed() and
//   operatorEnabled(): the audit reader shows every entry (the Node tool's
//   lines without prev/hash as unverified) with the count of lines it
//   skipped, and the page's banner says when operator access is off.
// - support.hpp: SupportActionCall::wait (`?wait=1`): restart-server answers
//   with its outcome (the new pid, or why not) instead of a bare 202.
// - services/relay.hpp, services/support_actions.hpp (new services: the
//   relay's install id and state for other plugins to show; the daemon's
//   support-action route logic, reused in-process by the relay over NATS);
//   command.hpp: OptionSpec::repeatable (`remote run --arg k=v --arg k2=v2`).
// - services/agent_signin.hpp (new): AgentSignin ("wildws.agent-signin/1",
//   optional, per backend: signed in or not, and the argv of the agent's own
//   sign-in) and AgentStderrReader (optional on a parser: it sees the stderr
//   lines). Why: a signed-out agent failed only at the first prompt, with
//   nothing to click; gemini reports a missing sign-in on stderr alone.
// - services/agent.hpp: interactive sessions - AgentCapabilities,
//   AgentProtocol (a backend's live-process state machine; the plugin still
//   spawns), AgentDecision, AgentSession::respond/interrupt/send/pending,
//   chunks permission / question / permission-resolved (new Chunk members),
//   end reason `interrupted`, AgentRequest::images (AgentImage). Why: agents
//   ask before running tools; one-shot runs denied every such request.
//
// ABI 3 (ABI 2 was released; this changes behaviour a compiled plugin sees):
// - services/activity.hpp: an event's "at" is ISO 8601 UTC text with ms
//   ("2026-12-01T08:27:59.123Z"), no longer ms since the epoch: every time
//   in JSON output has one format (issue 16); a listener built for ABI 2
//   that read "at" as a number would misread it, so it must be rebuilt.
// - services/agent.hpp: makeChunk() and errorChunk(), inline helpers (on
//   their own they would need no bump).
#pragma once

#include <cstdint>

#define WILDWS_SDK_ABI_VERSION 3

namespace wildws {
constexpr std::uint32_t kAbiVersion = WILDWS_SDK_ABI_VERSION;
} // namespace wildws
