#include "commands.hpp"

#include "terminal_render.hpp"
#include "wire_json.hpp"

#include "cli_prompt.hpp"

#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace wildws::agent {
namespace {

using std::chrono::milliseconds;

int list(SessionManager& m, Invocation& inv) {
    auto rows = m.backends();
    if (inv.flag("json")) {
        inv.out() << agentsJson(rows) << "\n";
        return 0;
    }
    std::size_t wId = 2, wName = 4;
    for (auto& r : rows) {
        wId = std::max(wId, r.id.size());
        wName = std::max(wName, r.name.size());
    }
    auto cell = [](const std::string& s, std::size_t w) { return s + std::string(w - s.size() + 2, ' '); };
    inv.out() << cell("ID", wId) << cell("NAME", wName) << "STATUS\n";
    for (auto& r : rows) {
        inv.out() << cell(r.id, wId) << cell(r.name, wName);
        if (r.detection.found) {
            inv.out() << "found " << r.detection.path;
            if (!r.detection.version.empty()) inv.out() << " (" << r.detection.version << ")";
            if (r.isDefault) inv.out() << " [default]";
            if (r.protocol != "one-shot") inv.out() << ", via " << r.protocol;
            inv.out() << "\n";
            if (r.signedIn == false) inv.out() << std::string(wId + wName + 4, ' ') << r.signInHint << "\n";
        } else {
            inv.out() << "not found: " << r.detection.reason << "\n";
            if (!r.detection.installHint.empty())
                inv.out() << std::string(wId + wName + 4, ' ') << "to use it: " << r.detection.installHint << "\n";
        }
    }
    return 0;
}

std::string absolute(const std::string& dir) {
    if (dir.empty()) {
        char* cwd = ::getcwd(nullptr, 0);
        std::string out = cwd ? cwd : "";
        std::free(cwd);
        return out;
    }
    if (dir[0] == '/') return dir;
    char buf[PATH_MAX];
    if (::realpath(dir.c_str(), buf)) return buf;
    return dir; // the manager reports it as not a directory
}

int run(SessionManager& m, Invocation& inv) {
    AgentRequest r;
    r.prompt = inv.positional("PROMPT").value_or("");
    r.mode = inv.value("mode").value_or("build") == "plan" ? AgentMode::Plan : AgentMode::Build;
    r.cwd = absolute(inv.value("cwd").value_or(""));
    bool asJson = inv.flag("json");

    AgentStartError error;
    StartOptions options;
    options.persist = true;
    auto started = m.startTurn(r, inv.value("agent").value_or(""), options, error);
    if (!started) {
        inv.err() << "wildws: agent run: " << error.message << "\n";
        return error.status == 400 ? 2 : 1;
    }
    auto& session = *started->session;
    CliPrompter prompter(inv, splitList(inv.value("allow").value_or("")));
    TerminalRender render(inv.out(), inv.err());
    bool interrupted = false, outputGone = false;
    std::string reason;
    for (;;) {
        if (!interrupted && inv.interrupted()) {
            interrupted = true;
            session.cancel("interrupted (Ctrl-C)");
        }
        auto c = session.next(milliseconds(0));
        if (!c) {
            inv.out().flush(); // nothing waiting: show what we have
            if (!inv.out().good() && !outputGone) {
                // `wildws agent run ... | head -1`: nobody reads the rest.
                outputGone = true;
                session.cancel("the output was closed");
            }
            c = session.next(milliseconds(100));
            if (!c) continue;
        }
        if (asJson) inv.out() << (c->type == "start" ? startLineJson(*c, started->resumed, started->notice, started->live) : toJson(*c)) << '\n';
        else render.chunk(*c);
        if (c->type == "start") inv.out().flush(); // the session id, at once
        if (c->type == "permission" || c->type == "question") {
            inv.out().flush();
            if (auto d = prompter.decide(*c)) session.respond(c->requestId, *d);
            else if (!interrupted) { // Ctrl-C while asking
                interrupted = true;
                session.cancel("interrupted (Ctrl-C)");
            }
        }
        if (c->type == "end") {
            reason = c->reason;
            break;
        }
    }
    inv.out().flush();
    if (interrupted) return 130;
    return reason == "completed" && !outputGone ? 0 : 1;
}

} // namespace

void registerCommands(Context& ctx, std::shared_ptr<SessionManager> manager) {
    CommandSpec listSpec;
    listSpec.name = "agent list";
    listSpec.summary = "list the agent backends: found or not, path, version, how to install";
    listSpec.options = {{"json", "", "print JSON", {}}};
    listSpec.run = [manager](Invocation& inv) { return list(*manager, inv); };
    ctx.command(std::move(listSpec));

    CommandSpec runSpec;
    runSpec.name = "agent run";
    runSpec.summary = "run a prompt through a coding agent and stream its output (Ctrl-C stops it)";
    runSpec.options = {
        {"agent", "ID", "the agent to use (default: the first one found; see 'wildws agent list')", {}},
        {"mode", "MODE", "plan (read-only) or build (may edit files); default build", {"plan", "build"}},
        {"cwd", "DIR", "the agent's working directory (default: the current directory)", {}},
        {"json", "", "print each chunk as one JSON line (NDJSON)", {}},
        {"allow", "TOOL,...", "allow these tools when the agent asks and no terminal can ask you (e.g. Bash,Edit)", {}},
    };
    runSpec.positionals = {{"PROMPT", "what to ask; put '--' before a prompt that starts with '-'", true, true}};
    runSpec.run = [manager](Invocation& inv) { return run(*manager, inv); };
    ctx.command(std::move(runSpec));
}

} // namespace wildws::agent
