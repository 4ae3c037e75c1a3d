#include "app/config_store.hpp"

#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace wildws::host {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

bool validName(const std::string& s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return false;
    return true;
}

// Poco's INI reader accepts almost anything; this pass gives the user one
// line naming the file and line for whatever it would silently misread.
void validateIni(const std::string& file, std::istream& in) {
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::string t = trim(line);
        if (t.empty() || t[0] == ';' || t[0] == '#') continue;
        auto where = file + ":" + std::to_string(n) + ": ";
        if (t[0] == '[') {
            if (t.back() != ']' || !validName(trim(t.substr(1, t.size() - 2))))
                throw ConfigFileError(where + "bad section header '" + t +
                                      "': expected [name] with letters, digits, '.', '_' or '-' - fix that line");
            continue;
        }
        auto eq = t.find('=');
        if (eq == std::string::npos)
            throw ConfigFileError(where + "expected 'key = value', got '" + t + "' - fix or remove that line");
        if (!validName(trim(t.substr(0, eq))))
            throw ConfigFileError(where + "bad key in '" + t +
                                  "': use letters, digits, '.', '_' or '-' before the '=' - fix that line");
    }
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

Poco::AutoPtr<Poco::Util::MapConfiguration> mapOf(const ConfigStore::Overrides& pairs) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> map(new Poco::Util::MapConfiguration);
    for (auto& [k, v] : pairs) map->setString(k, v);
    return map;
}

} // namespace

ConfigStore::ConfigStore(const std::string& file, bool mustExist, const Overrides& commandLine,
                         const Overrides& environment)
    : file_(file), layers_(new Poco::Util::LayeredConfiguration) {
    layers_->add(mapOf(commandLine), 0);
    layers_->add(mapOf(environment), 10);
    std::ifstream in(file);
    if (!in) {
        if (mustExist)
            throw ConfigFileError(file + ": cannot read the config file given with --config - check the path");
        return;
    }
    std::stringstream text;
    text << in.rdbuf();
    validateIni(file, text);
    text.clear();
    text.seekg(0);
    try {
        layers_->add(new Poco::Util::IniFileConfiguration(text), 20);
    } catch (const std::exception& e) {
        throw ConfigFileError(file + ": " + e.what());
    }
    loaded_ = true;
}

std::optional<std::string> ConfigStore::get(const std::string& key) const {
    if (!layers_->hasProperty(key)) return std::nullopt;
    return layers_->getRawString(key);
}

std::vector<std::string> ConfigStore::keys(const std::string& section) const {
    Poco::Util::AbstractConfiguration::Keys out;
    layers_->keys(section, out);
    return out;
}

std::unique_ptr<Config> ConfigStore::section(const std::string& name) const {
    return std::make_unique<SectionView>(*this, name);
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
