#include "cli/cli_app.hpp"

#include "cli/command_line.hpp"
#include "cli/help.hpp"
#include "cli/invocation.hpp"
#include "cli/prefixed_err.hpp"
#include "cli/usage_error.hpp"
#include "plugins/command_owners.hpp"

#include <algorithm>

namespace wildws::host {

// A command of a first-party plugin that is not loaded: say why, instead of
// "unknown command". nullopt when the words name no such command.
std::optional<std::string> unavailableCommand(const PluginHost& plugins, const std::vector<std::string>& words,
                                              const CommandHints& hints) {
    if (words.empty()) return std::nullopt;
    // A command listed apart ("support answer") is named whole.
    std::string named = words[0];
    auto owner = words.size() > 1 ? firstPartyOwnerOf(words[0] + " " + words[1]) : std::nullopt;
    if (owner && owner != firstPartyCommandOwner(words[0])) {
        named = words[0] + " " + words[1];
        if (plugins.registry().findCommand(named)) return std::nullopt;
    } else {
        if (!commandsUnder(plugins.registry(), words[0]).empty() || plugins.registry().findCommand(words[0]))
            return std::nullopt;
        owner = firstPartyCommandOwner(words[0]);
    }
    if (!owner || plugins.table().isLoaded(*owner)) return std::nullopt;
    std::string head = "'" + named + "' comes from the " + *owner + " plugin, which ";
    if (auto row = plugins.table().find(*owner)) {
        if (row->state == state::kDisabled) return head + "is " + row->reason;
        return head + "did not load (" + row->state + "): " + row->reason + " - see 'wildws plugins'";
    }
    std::string dirs;
    for (auto& d : hints.pluginDirs) dirs += (dirs.empty() ? "" : ", ") + d;
    return head + "is not installed (no wildws-" + *owner + ".so in " + dirs + ")";
}

std::vector<std::string> commandWords(const std::vector<std::string>& args) {
    std::vector<std::string> words;
    for (auto& a : args) {
        if (a.empty() || a[0] == '-') break;
        words.push_back(a);
    }
    return words;
}

int runCommandLine(PluginHost& plugins, const HostInfo& host, const GlobalOptions& options, std::ostream& out,
                   std::ostream& err, const CommandHints& hints) {
    const auto& args = options.rest;
    try {
        if (args.empty()) {
            if (options.version) {
                out << "wildws " << host.version << " (SDK ABI " << kAbiVersion << ")\n";
                return 0;
            }
            if (options.json) throw UsageError("--json needs a command, e.g. 'wildws --json plugins'");
            out << helpOverview(plugins.registry(), host.version);
            return 0;
        }
        if (auto why = unavailableCommand(plugins, commandWords(args), hints)) {
            err << "wildws: " << *why << "\n";
            return 1;
        }
        if (options.help) {
            auto words = commandWords(args);
            out << (words.empty() ? helpOverview(plugins.registry(), host.version)
                                  : helpFor(plugins.registry(), words));
            return 0;
        }
        std::size_t used = 0;
        const auto& entry = resolveCommand(plugins.registry(), args, used);
        ParsedCommand parsed = parseCommand(entry, args, used);
        if (options.json) {
            const auto& opts = entry.spec.options;
            bool offered = std::any_of(opts.begin(), opts.end(),
                                       [](const OptionSpec& o) { return o.name == "json" && o.valueName.empty(); });
            if (!offered) throw UsageError(entry.spec.name + ": has no JSON output, so --json does not apply");
            parsed.values["json"] = "";
        }
        if (entry.owner != kHostOwner && !plugins.table().isLoaded(entry.owner)) {
            err << "wildws: " << entry.spec.name << ": plugin '" << entry.owner
                << "' is off after an earlier failure - see 'wildws plugins'\n";
            return 1;
        }
        // Plugins' error lines read like the host's: "wildws: <command>: ...".
        std::optional<PrefixedErr> prefixed;
        if (entry.owner != kHostOwner && !entry.spec.rawStderr) prefixed.emplace(err, entry.spec.name);
        std::ostream& commandErr = prefixed ? static_cast<std::ostream&>(*prefixed) : err;
        CliInvocation inv(std::move(parsed), out, commandErr);
        int code = 1;
        if (auto e = plugins.call(entry.owner, "command " + entry.spec.name, [&] { code = entry.spec.run(inv); })) {
            commandErr.flush();
            prefixed.reset();
            err << "wildws: " << entry.spec.name << " failed: " << *e << "\n";
            return 1;
        }
        out.flush();
        return code;
    } catch (const UsageError& e) {
        err << "wildws: " << e.what() << "\n";
        return kExitUsage;
    }
}

} // namespace wildws::host
