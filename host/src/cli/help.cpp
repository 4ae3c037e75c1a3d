#include "cli/help.hpp"

#include "cli/command_line.hpp"
#include "cli/global_options.hpp"
#include "cli/usage_error.hpp"

#include <algorithm>

namespace wildws::host {
namespace {

std::string pad(const std::string& s, std::size_t width) {
    return s + std::string(s.size() < width ? width - s.size() : 1, ' ');
}

std::string usageLine(const CommandSpec& spec) {
    std::string line = "wildws " + spec.name;
    for (auto& o : spec.options) line += " [--" + o.name + (o.valueName.empty() ? "" : " " + o.valueName) + "]";
    for (auto& p : spec.positionals) line += p.required ? " " + p.name : " [" + p.name + "]";
    return line;
}

std::string listCommands(const std::vector<const CommandEntry*>& entries) {
    std::size_t width = 0;
    for (auto* e : entries) width = std::max(width, e->spec.name.size());
    std::string out;
    for (auto* e : entries) {
        out += "  " + pad(e->spec.name, width + 2) + e->spec.summary;
        if (e->owner != kHostOwner) out += "  [" + e->owner + "]";
        out += "\n";
    }
    return out;
}

std::vector<const CommandEntry*> sorted(const Registry& registry) {
    std::vector<const CommandEntry*> all;
    for (auto& c : registry.commands()) all.push_back(&c);
    std::stable_sort(all.begin(), all.end(), [](auto* a, auto* b) {
        bool ha = a->owner == kHostOwner, hb = b->owner == kHostOwner;
        if (ha != hb) return ha;
        return a->spec.name < b->spec.name;
    });
    return all;
}

} // namespace

std::string helpOverview(const Registry& registry, const std::string& version) {
    return "wildws " + version +
           " - a local host for the AI coding agent you already have\n\n"
           "Usage: wildws [global options] <command> [options]\n\nCommands:\n" +
           listCommands(sorted(registry)) + "\nGlobal options:\n" + globalOptionsHelp() +
           "\nRun 'wildws help COMMAND' for a command's options.\n";
}

std::string helpFor(const Registry& registry, const std::vector<std::string>& words) {
    std::string name;
    for (auto& w : words) name += (name.empty() ? "" : " ") + w;
    if (auto* c = registry.findCommand(name)) {
        std::string out = "Usage: " + usageLine(c->spec) + "\n\n" + c->spec.summary + "\n";
        if (!c->spec.positionals.empty() || !c->spec.options.empty()) out += "\n";
        std::size_t width = 0;
        for (auto& o : c->spec.options) width = std::max(width, o.name.size() + o.valueName.size() + 3);
        for (auto& p : c->spec.positionals) width = std::max(width, p.name.size());
        for (auto& p : c->spec.positionals) out += "  " + pad(p.name, width + 2) + p.help + "\n";
        for (auto& o : c->spec.options) {
            std::string help = o.help;
            if (!o.choices.empty()) {
                help += " (";
                for (std::size_t i = 0; i < o.choices.size(); ++i) help += (i ? "|" : "") + o.choices[i];
                help += ")";
            }
            out += "  " + pad("--" + o.name + (o.valueName.empty() ? "" : " " + o.valueName), width + 2) + help + "\n";
        }
        if (c->owner != kHostOwner) out += "\nFrom plugin '" + c->owner + "'.\n";
        return out;
    }
    auto members = commandsUnder(registry, name);
    if (!members.empty()) return "Commands under '" + name + "':\n" + listCommands(members);
    std::size_t used = 0;
    resolveCommand(registry, words, used); // throws the unknown-command line
    return {};
}

} // namespace wildws::host
