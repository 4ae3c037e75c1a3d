#include "app/config_check.hpp"

#include "app/config_keys.hpp"
#include "cli/suggest.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace wildws::host {
namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string where(const ConfigStore& config, const std::string& key) {
    auto v = config.lookup(key);
    return v ? config.describe(*v) + ": " : std::string();
}

std::vector<std::string> namesOf(const std::vector<ConfigKey>& keys) {
    std::vector<std::string> out;
    for (auto& k : keys) out.push_back(k.name);
    return out;
}

std::string didYouMean(const std::string& typed, const std::vector<std::string>& candidates, const char* quote = "'") {
    auto guess = closest(typed, candidates);
    return guess ? std::string(" - did you mean ") + quote + *guess + quote + "?" : std::string();
}

std::string list(const std::vector<std::string>& items) {
    std::string out;
    for (auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// A key's section and name: "plugin.agent.claude_path" -> {"plugin.agent", "claude_path"}.
std::pair<std::string, std::string> split(const std::string& key) {
    if (key.rfind("plugin.", 0) == 0) {
        auto dot = key.find('.', 7);
        if (dot == std::string::npos) return {"plugin", key.substr(7)};
        return {key.substr(0, dot), key.substr(dot + 1)};
    }
    auto dot = key.find('.');
    if (dot == std::string::npos) return {"", key};
    return {key.substr(0, dot), key.substr(dot + 1)};
}

struct Row {
    std::string section, key, value, source, where;
};

// Every known key (set or not) and every key set, section by section.
std::vector<Row> effectiveRows(const ConfigStore& config, const ConfigFacts& facts) {
    std::vector<std::string> sections = hostSections();
    for (auto& p : facts.pluginFiles)
        if (!has(sections, "plugin." + p)) sections.push_back("plugin." + p);
    for (auto& k : config.allKeys()) {
        auto s = split(k).first;
        if (!has(sections, s)) sections.push_back(s);
    }
    std::vector<Row> rows;
    auto add = [&](const std::string& section, const std::string& key, const std::string& fallback) {
        std::string full = section.empty() ? key : section + "." + key;
        if (auto v = config.lookup(full)) {
            std::string src = v->source == ConfigStore::Source::File ? "file" : config.describe(*v);
            rows.push_back({section, key, v->value, src, config.describe(*v)});
        } else {
            rows.push_back({section, key, fallback, "default", ""});
        }
    };
    for (auto& section : sections) {
        std::vector<ConfigKey> known = hostKeys(section);
        if (section.rfind("plugin.", 0) == 0) {
            known.insert(known.begin(), pluginEnabledKey());
            auto it = facts.declared.find(section.substr(7));
            if (it != facts.declared.end()) known.insert(known.end(), it->second.begin(), it->second.end());
        }
        std::set<std::string> shown;
        for (auto& k : known) {
            add(section, k.name, k.defaultValue);
            shown.insert(k.name);
        }
        for (auto& k : config.allKeys()) {
            auto [s, name] = split(k);
            if (s == section && shown.insert(name).second) add(section, name, "");
        }
    }
    return rows;
}

} // namespace

std::vector<ConfigProblem> findConfigProblems(const ConfigStore& config, const ConfigFacts& facts) {
    std::vector<ConfigProblem> out;
    const std::string dirs = list(facts.pluginDirs);
    for (auto& name : config.section("plugins")->getList("disable"))
        if (!has(facts.pluginFiles, name))
            out.push_back({where(config, "plugins.disable") + "[plugins] disable names '" + name +
                               "', but there is no plugin file wildws-" + name + ".so in " + dirs +
                               didYouMean(name, facts.pluginFiles) +
                               " (serve and daemon refuse to start until it names a real plugin)",
                           true});
    for (auto& d : facts.missingDirs)
        out.push_back({where(config, "plugins.dirs") + "[plugins] dirs names " + d +
                           ", which does not exist - create it or remove it from the list",
                       true});

    const std::vector<std::string> sections = hostSections();
    for (auto& key : config.allKeys()) {
        auto [section, name] = split(key);
        const std::string at = where(config, key);
        if (section.empty()) {
            out.push_back({at + "'" + name + "' is outside any section - put it under [serve], [daemon], [plugins] "
                                "or [plugin.NAME]",
                           false});
            continue;
        }
        if (section.rfind("plugin.", 0) == 0) {
            std::string plugin = section.substr(7);
            if (!has(facts.pluginFiles, plugin)) {
                out.push_back({at + "[" + section + "] is for a plugin named '" + plugin + "', but there is no wildws-" +
                                   plugin + ".so in " + dirs + didYouMean(plugin, facts.pluginFiles),
                               false});
                continue;
            }
            if (name == pluginEnabledKey().name) continue;
            auto it = facts.declared.find(plugin);
            if (it == facts.declared.end() || it->second.empty()) continue; // not loaded, or declares nothing
            auto known = namesOf(it->second);
            if (!has(known, name))
                out.push_back({at + "unknown key '" + name + "' in [" + section + "]" + didYouMean(name, known) +
                                   " (known: " + list(known) + ")",
                               false});
            continue;
        }
        if (!has(sections, section)) {
            std::vector<std::string> candidates = sections;
            for (auto& p : facts.pluginFiles) candidates.push_back("plugin." + p);
            out.push_back({at + "unknown section [" + section + "]" + didYouMean(section, candidates, "") +
                               " (known: [serve], [daemon], [plugins], [plugin.NAME])",
                           false});
            continue;
        }
        auto known = namesOf(hostKeys(section));
        if (!has(known, name))
            out.push_back({at + "unknown key '" + name + "' in [" + section + "]" + didYouMean(name, known) +
                               " (known: " + list(known) + ")",
                           false});
    }
    return out;
}

std::string renderConfigText(const ConfigStore& config, const ConfigFacts& facts,
                             const std::vector<ConfigProblem>& problems) {
    std::ostringstream out;
    out << "config file: " << config.file() << (config.fileLoaded() ? "" : " (not present: defaults apply)") << "\n";
    auto rows = effectiveRows(config, facts);
    std::size_t width = 0;
    for (auto& r : rows) width = std::max(width, r.key.size() + 3 + r.value.size());
    std::string current = "\x01";
    for (auto& r : rows) {
        if (r.section != current) {
            current = r.section;
            out << "\n[" << (r.section.empty() ? "(no section)" : r.section) << "]";
            if (r.section.rfind("plugin.", 0) == 0 && has(facts.disabled, r.section.substr(7)))
                out << "  (plugin disabled: its keys are not checked)";
            out << "\n";
        }
        std::string kv = r.key + " = " + r.value;
        out << "  " << kv << std::string(width + 2 - kv.size(), ' ') << (r.source == "default" ? "default" : r.where)
            << "\n";
    }
    if (problems.empty()) out << "\nno problems found\n";
    else {
        out << "\n" << problems.size() << (problems.size() == 1 ? " problem:\n" : " problems:\n");
        for (auto& p : problems) out << "  " << p.message << "\n";
    }
    return out.str();
}

std::string renderConfigJson(const ConfigStore& config, const ConfigFacts& facts,
                             const std::vector<ConfigProblem>& problems) {
    Poco::JSON::Object root;
    root.set("file", config.file());
    root.set("loaded", config.fileLoaded());
    Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
    for (auto& r : effectiveRows(config, facts)) {
        Poco::JSON::Object o;
        o.set("section", r.section);
        o.set("key", r.key);
        o.set("value", r.value);
        o.set("source", r.source);
        o.set("where", r.where);
        values->add(o);
    }
    root.set("values", values);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (auto& p : problems) {
        Poco::JSON::Object o;
        o.set("message", p.message);
        o.set("stopsServers", p.stopsServers);
        list->add(o);
    }
    root.set("problems", list);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

} // namespace wildws::host
