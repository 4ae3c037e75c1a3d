#include "cli/cli_app.hpp"

#include "cli/command_line.hpp"
#include "cli/help.hpp"
#include "cli/invocation.hpp"
#include "cli/usage_error.hpp"

namespace wildws::host {

int runCommandLine(PluginHost& plugins, const HostInfo& host, const GlobalOptions& options, std::ostream& out,
                   std::ostream& err) {
    const auto& args = options.rest;
    try {
        if (args.empty()) {
            if (options.version) {
                out << "wildws " << host.version << " (SDK ABI " << kAbiVersion << ")\n";
                return 0;
            }
            out << helpOverview(plugins.registry(), host.version);
            return 0;
        }
        if (options.help) {
            std::vector<std::string> words;
            for (auto& a : args) {
                if (a.empty() || a[0] == '-') break;
                words.push_back(a);
            }
            out << (words.empty() ? helpOverview(plugins.registry(), host.version)
                                  : helpFor(plugins.registry(), words));
            return 0;
        }
        std::size_t used = 0;
        const auto& entry = resolveCommand(plugins.registry(), args, used);
        CliInvocation inv(parseCommand(entry, args, used), out, err);
        if (entry.owner != kHostOwner && !plugins.table().isLoaded(entry.owner)) {
            err << "wildws: " << entry.spec.name << ": plugin '" << entry.owner
                << "' is off after an earlier failure - see 'wildws plugins'\n";
            return 1;
        }
        int code = 1;
        if (auto e = plugins.call(entry.owner, "command " + entry.spec.name, [&] { code = entry.spec.run(inv); })) {
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
