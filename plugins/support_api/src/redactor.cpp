#include "redactor.hpp"

#include <wildws/common/json.hpp>

#include <wildws/secure.hpp>

#include <wildws/services/secrets.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace wildws::support {
namespace {

constexpr std::string_view kOperatorPrefix = "wwop_";
constexpr std::size_t kMinSecret = 8;

bool tokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

} // namespace

Redactor::Redactor(std::vector<std::string> secrets) {
    for (auto& s : secrets)
        if (s.size() >= kMinSecret && std::find(secrets_.begin(), secrets_.end(), s) == secrets_.end())
            secrets_.push_back(std::move(s));
    std::sort(secrets_.begin(), secrets_.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
}

Redactor Redactor::fromServices(Services& services, const std::string& home) {
    std::vector<std::string> values;
    if (auto secrets = services.find<Secrets>()) {
        // Each getter may throw SecretsError (an unusable file): then that
        // value is simply not known here, and the env overrides still count.
        for (auto get : {&Secrets::partnerToken, &Secrets::shareSecret, &Secrets::supportChannelSecret}) {
            try {
                values.push_back((secrets.get()->*get)());
            } catch (const std::exception&) {
            }
        }
    }
    for (const char* env : {"WILD_WORKSPACE_SHARE_SECRET", "WILD_WORKSPACE_SUPPORT_SECRET"})
        if (const char* v = std::getenv(env)) values.emplace_back(v);
    // The file's own values stay secret even while an env override is used.
    auto read = wildws::readStateFile(home + "/secrets.json"); // never blocks on a FIFO
    if (auto o = read.ok() ? json::parseObject(read.content) : nullptr)
        for (auto& name : o->getNames())
            if (auto v = json::getString(o, name)) values.push_back(*v);
    return Redactor(std::move(values));
}

std::string Redactor::apply(std::string_view text) const {
    std::string out(text);
    for (auto& s : secrets_) {
        for (std::size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + std::strlen(kRedacted)))
            out.replace(pos, s.size(), kRedacted);
    }
    for (std::size_t pos = out.find(kOperatorPrefix); pos != std::string::npos; pos = out.find(kOperatorPrefix, pos)) {
        std::size_t end = pos + kOperatorPrefix.size();
        while (end < out.size() && tokenChar(out[end])) ++end;
        if (end - pos - kOperatorPrefix.size() >= 16) {
            out.replace(pos, end - pos, kRedacted);
            pos += std::strlen(kRedacted);
        } else {
            pos = end;
        }
    }
    return out;
}

} // namespace wildws::support
