#include "app/config_store.hpp"

#include <wildws/common/text.hpp>
#include <wildws/secure.hpp>

#include <cctype>
#include <set>

namespace wildws::host {
namespace {

constexpr std::size_t kMaxConfigBytes = 1 << 20;

using common::trim;

bool validName(const std::string& s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return false;
    return true;
}

// Cuts an inline comment: a ';' or '#' at the start or after whitespace.
std::string withoutComment(const std::string& line) {
    for (std::size_t i = 0; i < line.size(); ++i)
        if ((line[i] == ';' || line[i] == '#') && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
            return line.substr(0, i);
    return line;
}

class SectionView : public Config {
public:
    SectionView(const ConfigStore& store, std::string name) : store_(store), name_(std::move(name)) {}
    std::optional<std::string> get(const std::string& key) const override { return store_.get(name_ + "." + key); }
    std::vector<std::string> keys() const override { return store_.keys(name_); }
    std::string section() const override { return "[" + name_ + "]"; }

private:
    const ConfigStore& store_;
    std::string name_;
};

} // namespace

ConfigStore::ConfigStore(const std::string& file, bool mustExist, const Overrides& commandLine,
                         const Overrides& environment)
    : file_(file) {
    for (auto& [k, v] : commandLine) cli_values_[k] = {v, Source::CommandLine, 0};
    for (auto& [k, v] : environment) env_values_[k] = {v, Source::Environment, 0};
    StateFileOptions options;
    options.maxBytes = kMaxConfigBytes;
    options.followSymlink = true;
    auto read = readStateFile(file, options);
    if (read.problem == FileProblem::Missing) {
        if (mustExist)
            throw ConfigFileError(file + ": cannot read the config file given with --config - check the path");
        return;
    }
    if (!read.ok()) throw UnsafeConfigError("refusing the config file: " + read.error);
    parse(read.content);
    loaded_ = true;
}

void ConfigStore::parse(const std::string& text) {
    std::string section;
    std::size_t pos = 0;
    int n = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string raw = text.substr(pos, end - pos);
        pos = end + 1;
        ++n;
        std::string t = trim(withoutComment(raw));
        if (t.empty()) {
            if (end == text.size()) break;
            continue;
        }
        auto where = file_ + ":" + std::to_string(n) + ": ";
        if (t[0] == '[') {
            std::string name = t.back() == ']' ? trim(t.substr(1, t.size() - 2)) : "";
            if (!validName(name))
                throw ConfigFileError(where + "bad section header '" + t +
                                      "': expected [name] with letters, digits, '.', '_' or '-' - fix that line");
            section = name;
            sections_.push_back({name, n});
        } else {
            auto eq = t.find('=');
            if (eq == std::string::npos)
                throw ConfigFileError(where + "expected 'key = value', got '" + t + "' - fix or remove that line");
            std::string key = trim(t.substr(0, eq));
            if (!validName(key))
                throw ConfigFileError(where + "bad key in '" + t +
                                      "': use letters, digits, '.', '_' or '-' before the '=' - fix that line");
            file_values_[section.empty() ? key : section + "." + key] = {trim(t.substr(eq + 1)), Source::File, n};
        }
        if (end == text.size()) break;
    }
}

std::optional<ConfigStore::Value> ConfigStore::lookup(const std::string& key) const {
    for (auto* layer : {&cli_values_, &env_values_, &file_values_})
        if (auto it = layer->find(key); it != layer->end()) return it->second;
    return std::nullopt;
}

std::optional<std::string> ConfigStore::get(const std::string& key) const {
    auto v = lookup(key);
    if (!v) return std::nullopt;
    return v->value;
}

std::vector<std::string> ConfigStore::allKeys() const {
    std::set<std::string> all;
    for (auto* layer : {&cli_values_, &env_values_, &file_values_})
        for (auto& [k, v] : *layer) all.insert(k);
    return {all.begin(), all.end()};
}

std::vector<std::string> ConfigStore::keys(const std::string& section) const {
    std::vector<std::string> out;
    const std::string prefix = section + ".";
    for (auto& k : allKeys())
        if (k.size() > prefix.size() && k.compare(0, prefix.size(), prefix) == 0) out.push_back(k.substr(prefix.size()));
    return out;
}

std::unique_ptr<Config> ConfigStore::section(const std::string& name) const {
    return std::make_unique<SectionView>(*this, name);
}

std::string ConfigStore::describe(const Value& v) const {
    switch (v.source) {
    case Source::CommandLine: return "--set";
    case Source::Environment: return "WILDWS_SET";
    case Source::File: break;
    }
    return file_ + ":" + std::to_string(v.line);
}

std::pair<std::string, std::string> ConfigStore::parseOverride(const std::string& text, const std::string& origin) {
    auto eq = text.find('=');
    std::string key = eq == std::string::npos ? "" : trim(text.substr(0, eq));
    if (!validName(key) || key.find('.') == std::string::npos)
        throw ConfigFileError(origin + ": '" + text + "' is not SECTION.KEY=VALUE (e.g. serve.port=6000)");
    return {key, trim(text.substr(eq + 1))};
}

ConfigStore::Overrides ConfigStore::parseEnvironment(const char* value) {
    Overrides out;
    if (!value) return out;
    std::string item;
    for (const char* p = value;; ++p) {
        if (*p == ';' || *p == '\n' || *p == '\0') {
            if (!trim(item).empty()) out.push_back(parseOverride(trim(item), "WILDWS_SET"));
            item.clear();
            if (*p == '\0') break;
        } else {
            item += *p;
        }
    }
    return out;
}

} // namespace wildws::host
