#include <wildws/config.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace wildws {
namespace {

std::string trim(std::string s) {
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

} // namespace

std::string Config::getString(const std::string& key, const std::string& fallback) const {
    auto v = get(key);
    return v ? trim(*v) : fallback;
}

long long Config::getInt(const std::string& key, long long fallback) const {
    auto v = get(key);
    if (!v) return fallback;
    std::string s = trim(*v);
    long long out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        throw ConfigError(section() + " " + key + " = '" + s + "': expected a whole number; fix it in wildws.ini");
    return out;
}

bool Config::getBool(const std::string& key, bool fallback) const {
    auto v = get(key);
    if (!v) return fallback;
    std::string s = lower(trim(*v));
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    throw ConfigError(section() + " " + key + " = '" + s + "': expected true or false; fix it in wildws.ini");
}

std::vector<std::string> Config::getList(const std::string& key) const {
    std::vector<std::string> out;
    auto v = get(key);
    if (!v) return out;
    std::string item;
    for (char c : *v + ",") {
        if (c == ',') {
            if (auto t = trim(item); !t.empty()) out.push_back(t);
            item.clear();
        } else {
            item += c;
        }
    }
    return out;
}

} // namespace wildws
