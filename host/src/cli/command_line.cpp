#include "cli/command_line.hpp"

#include "cli/suggest.hpp"
#include "cli/usage_error.hpp"

namespace wildws::host {
namespace {

std::string join(const std::vector<std::string>& words, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? " " : "") + words[i];
    return out;
}

std::string seeHelp(const std::string& command) { return " (see: wildws help " + command + ")"; }

// The option's own help says what a good value is (e.g. the list of tiers).
UsageError missingValue(const CommandSpec& spec, const OptionSpec& opt) {
    return UsageError(spec.name + ": option '--" + opt.name + "' needs a value (" + opt.valueName + ")" +
                      (opt.help.empty() ? "" : ": " + opt.help) + seeHelp(spec.name));
}

} // namespace

std::vector<const CommandEntry*> commandsUnder(const Registry& registry, const std::string& prefix) {
    std::vector<const CommandEntry*> out;
    for (auto& c : registry.commands())
        if (c.spec.name.rfind(prefix + " ", 0) == 0) out.push_back(&c);
    return out;
}

const CommandEntry& resolveCommand(const Registry& registry, const std::vector<std::string>& args,
                                   std::size_t& wordsUsed) {
    std::vector<std::string> words;
    for (auto& a : args) {
        if (a.empty() || a[0] == '-') break;
        words.push_back(a);
    }
    if (words.empty()) throw UsageError("no command given - run 'wildws --help' for the list");
    for (std::size_t n = words.size(); n > 0; --n) {
        if (auto* c = registry.findCommand(join(words, n))) {
            wordsUsed = n;
            return *c;
        }
    }
    // A known group without (or with a wrong) sub-command.
    for (std::size_t n = words.size(); n > 0; --n) {
        auto group = join(words, n);
        auto members = commandsUnder(registry, group);
        if (members.empty()) continue;
        std::vector<std::string> subs;
        for (auto* m : members) subs.push_back(m->spec.name.substr(group.size() + 1));
        std::string list;
        for (auto& s : subs) list += (list.empty() ? "" : ", ") + s;
        if (n < words.size()) {
            auto guess = closest(words[n], subs);
            throw UsageError("unknown command '" + group + " " + words[n] + "'" +
                             (guess ? ". Did you mean '" + group + " " + *guess + "'?" : "") + " Commands under '" +
                             group + "': " + list);
        }
        throw UsageError("'" + group + "' needs a sub-command: " + list + seeHelp(group));
    }
    std::vector<std::string> names;
    for (auto& c : registry.commands()) {
        names.push_back(c.spec.name.substr(0, c.spec.name.find(' ')));
        names.push_back(c.spec.name);
    }
    auto guess = closest(words[0], names);
    throw UsageError("unknown command '" + words[0] + "'" + (guess ? ". Did you mean '" + *guess + "'?" : ".") +
                     " Run 'wildws --help' for the list.");
}

ParsedCommand parseCommand(const CommandEntry& entry, const std::vector<std::string>& args, std::size_t wordsUsed) {
    const auto& spec = entry.spec;
    ParsedCommand parsed;
    parsed.entry = &entry;
    std::vector<std::string> positional;
    bool onlyPositionals = false;

    auto findOption = [&](const std::string& name) -> const OptionSpec* {
        for (auto& o : spec.options)
            if (o.name == name) return &o;
        return nullptr;
    };

    for (std::size_t i = wordsUsed; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (onlyPositionals || a.size() < 2 || a.rfind("--", 0) != 0) {
            if (!onlyPositionals && a.size() >= 2 && a[0] == '-' && a[1] != '-' && !std::isdigit((unsigned char)a[1]))
                throw UsageError(spec.name + ": unknown option '" + a + "' (options are spelled --name; put '--' " +
                                 "before an argument that starts with '-')" + seeHelp(spec.name));
            positional.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* opt = findOption(name);
        if (!opt) {
            std::vector<std::string> names;
            for (auto& o : spec.options) names.push_back(o.name);
            auto guess = closest(name, names);
            throw UsageError(spec.name + ": unknown option '--" + name + "'" +
                             (guess ? ". Did you mean '--" + *guess + "'?" : "") + seeHelp(spec.name));
        }
        if (opt->valueName.empty()) {
            if (inlineValue) throw UsageError(spec.name + ": option '--" + name + "' takes no value");
            parsed.values[name] = "";
            continue;
        }
        std::string value;
        if (inlineValue) {
            value = *inlineValue;
        } else {
            if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) throw missingValue(spec, *opt);
            value = args[++i];
        }
        if (value.empty()) throw missingValue(spec, *opt);
        if (!opt->choices.empty()) {
            bool ok = false;
            std::string list;
            for (auto& c : opt->choices) {
                ok = ok || c == value;
                list += (list.empty() ? "" : ", ") + c;
            }
            if (!ok)
                throw UsageError(spec.name + ": --" + name + " must be one of: " + list + " (got '" + value + "')");
        }
        auto seen = parsed.values.find(name);
        if (opt->repeatable && seen != parsed.values.end()) seen->second += "\n" + value;
        else parsed.values[name] = value;
    }

    std::size_t next = 0;
    for (auto& p : spec.positionals) {
        if (p.rest) {
            std::string joined;
            for (; next < positional.size(); ++next) joined += (joined.empty() ? "" : " ") + positional[next];
            if (!joined.empty()) parsed.positionals[p.name] = joined;
        } else if (next < positional.size()) {
            parsed.positionals[p.name] = positional[next++];
        }
        if (p.required && !parsed.positionals.count(p.name))
            throw UsageError(spec.name + ": missing " + p.name + seeHelp(spec.name));
    }
    if (next < positional.size())
        throw UsageError(spec.name + ": unexpected argument '" + positional[next] + "'" + seeHelp(spec.name));
    return parsed;
}

} // namespace wildws::host
