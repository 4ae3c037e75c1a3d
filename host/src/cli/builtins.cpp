#include "cli/builtins.hpp"

#include "cli/cli_app.hpp"
#include "cli/help.hpp"
#include "cli/usage_error.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

namespace wildws::host {

Poco::JSON::Array::Ptr pluginsArray(const std::vector<PluginStatus>& rows) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (auto& r : rows) {
        Poco::JSON::Object o;
        o.set("name", r.name);
        o.set("state", r.state);
        o.set("version", r.version);
        o.set("description", r.description);
        o.set("file", r.file);
        o.set("reason", r.reason);
        list->add(o);
    }
    return list;
}

std::string pluginsJson(const std::vector<PluginStatus>& rows) {
    Poco::JSON::Object root;
    root.set("plugins", pluginsArray(rows));
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

namespace {

void printTable(std::ostream& out, const std::vector<PluginStatus>& rows) {
    if (rows.empty()) {
        out << "no plugins found (looked for wildws-<name>.so in the plugin directories; see --plugins-dir)\n";
        return;
    }
    std::size_t wName = 4, wState = 5, wVersion = 7;
    for (auto& r : rows) {
        wName = std::max(wName, r.name.size());
        wState = std::max(wState, r.state.size());
        wVersion = std::max(wVersion, r.version.size());
    }
    auto cell = [](const std::string& s, std::size_t w) { return s + std::string(w - s.size() + 2, ' '); };
    out << cell("NAME", wName) << cell("STATE", wState) << cell("VERSION", wVersion) << "FILE\n";
    for (auto& r : rows) {
        out << cell(r.name, wName) << cell(r.state, wState) << cell(r.version.empty() ? "-" : r.version, wVersion)
            << r.file << "\n";
        if (!r.reason.empty()) out << "  " << r.reason << "\n";
    }
}

} // namespace

Contributions builtinCommands(PluginHost& plugins, const HostInfo& host, const ConfigReport& report) {
    Contributions c;
    auto add = [&](CommandSpec spec) { c.commands.push_back({kHostOwner, std::move(spec)}); };

    add({"help", "show every command, or one command's options", {},
         {{"COMMAND", "a command, e.g. 'support allow'", false, true}}, [&plugins, &host, &report](Invocation& inv) {
             auto words = inv.positional("COMMAND");
             if (!words) {
                 inv.out() << helpOverview(plugins.registry(), host.version);
                 return 0;
             }
             std::vector<std::string> list;
             std::istringstream in(*words);
             for (std::string w; in >> w;) list.push_back(w);
             if (auto why = unavailableCommand(plugins, list, {report.facts.pluginFiles, report.facts.pluginDirs})) {
                 inv.err() << "wildws: " << *why << "\n";
                 return 1;
             }
             try {
                 inv.out() << helpFor(plugins.registry(), list);
             } catch (const UsageError& e) { // `help nosuch` is a usage error: exit 2
                 inv.err() << "wildws: " << e.what() << "\n";
                 return kExitUsage;
             }
             return 0;
         }});
    add({"version", "print the wildws version and SDK ABI", {{"json", "", "print {version, abi}", {}}}, {},
         [&host](Invocation& inv) {
             if (inv.flag("json")) {
                 Poco::JSON::Object o;
                 o.set("version", host.version);
                 o.set("abi", kAbiVersion);
                 o.stringify(inv.out());
                 inv.out() << "\n";
                 return 0;
             }
             inv.out() << "wildws " << host.version << " (SDK ABI " << kAbiVersion << ")\n";
             return 0;
         }});
    add({"config check", "print the effective config, where each value came from, and every problem (exit 1 if any)",
         {{"json", "", "print JSON", {}}}, {}, [&report](Invocation& inv) {
             if (!report.config) return 1;
             if (inv.flag("json"))
                 inv.out() << renderConfigJson(*report.config, report.facts, report.problems) << "\n";
             else
                 inv.out() << renderConfigText(*report.config, report.facts, report.problems);
             return report.problems.empty() ? 0 : 1;
         }});
    add({"plugins", "list every plugin found, with state, version, file and reason",
         {{"json", "", "print JSON", {}}}, {}, [&plugins](Invocation& inv) {
             auto rows = plugins.table().snapshot();
             if (inv.flag("json")) inv.out() << pluginsJson(rows) << "\n";
             else printTable(inv.out(), rows);
             // Health checks and scripts notice a plugin that failed to load
             // (disabled on purpose is not a failure).
             for (auto& r : rows)
                 if (r.state != state::kLoaded && r.state != state::kDisabled) return 1;
             return 0;
         }});
    return c;
}

} // namespace wildws::host
