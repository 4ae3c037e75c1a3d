#include "settings.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wildws::gemini {
namespace {

std::vector<std::string> argList(const Config& config, const std::string& key) {
    auto value = config.get(key);
    if (!value) return {};
    std::string v = *value;
    std::size_t i = v.find_first_not_of(" \t");
    if (i != std::string::npos && v[i] == '[') {
        try {
            Poco::JSON::Parser parser;
            auto arr = parser.parse(v).extract<Poco::JSON::Array::Ptr>();
            std::vector<std::string> out;
            for (std::size_t k = 0; k < arr->size(); ++k) {
                auto item = arr->get(static_cast<unsigned>(k));
                if (!item.isString()) throw std::runtime_error("not a string");
                out.push_back(item.extract<std::string>());
            }
            return out;
        } catch (const std::exception&) {
            throw ConfigError(config.section() + " " + key + " = '" + v + "': expected a JSON array of strings");
        }
    }
    std::istringstream words(v);
    std::vector<std::string> out;
    for (std::string w; words >> w;) out.push_back(w);
    return out;
}

} // namespace

GeminiSettings readSettings(const Config& config) {
    GeminiSettings s;
    s.geminiPath = config.getString("gemini_path", "");
    if (!s.geminiPath.empty() && s.geminiPath[0] != '/')
        throw ConfigError(config.section() + " gemini_path = '" + s.geminiPath + "': expected an absolute path");
    s.geminiArgs = argList(config, "gemini_args");
    s.buildApprovalMode = config.getString("build_approval_mode", s.buildApprovalMode);
    if (s.buildApprovalMode != "default" && s.buildApprovalMode != "auto_edit" && s.buildApprovalMode != "yolo")
        throw ConfigError(config.section() + " build_approval_mode = '" + s.buildApprovalMode +
                          "': expected default, auto_edit or yolo");
    s.skipTrust = config.getBool("skip_trust", false);
    auto seconds = [&](const char* key, std::chrono::seconds fallback) {
        long long n = config.getInt(key, fallback.count());
        if (n < 0)
            throw ConfigError(config.section() + " " + key + " = '" + std::to_string(n) +
                              "': expected a number of seconds, 0 or more");
        return std::chrono::seconds(n);
    };
    s.detectCache = seconds("detect_cache_seconds", s.detectCache);
    s.signinCache = seconds("signin_cache_seconds", s.signinCache);
    return s;
}

} // namespace wildws::gemini
