#include "services/host_api.hpp"

#include "http/host_response.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>
#include <stdexcept>

namespace wildws::host {

const SupportActionEntry& HostApiService::find(const std::string& name) const {
    auto* entry = plugins_.registry().findSupportAction(name);
    if (!entry || (entry->owner != kHostOwner && !plugins_.table().isLoaded(entry->owner)))
        throw std::out_of_range("no support action named '" + name + "'");
    return *entry;
}

std::vector<SupportActionInfo> HostApiService::supportActions() const {
    std::vector<SupportActionInfo> out;
    for (auto& a : plugins_.registry().supportActions())
        if (a.owner == kHostOwner || plugins_.table().isLoaded(a.owner))
            out.push_back({a.spec.name, a.spec.minTier, a.spec.description, a.owner});
    return out;
}

std::optional<std::string> HostApiService::validateSupportAction(const std::string& name,
                                                                 const std::string& argsJson) const {
    auto& entry = find(name);
    if (!entry.spec.validate) return std::nullopt;
    std::optional<std::string> verdict;
    if (auto err = plugins_.call(entry.owner, "support action " + name + " (validate)",
                                 [&] { verdict = entry.spec.validate(argsJson); }))
        return "the action's argument check failed: " + *err;
    return verdict;
}

void HostApiService::runSupportAction(const std::string& name, const SupportActionCall& call, Response& res) const {
    auto& entry = find(name);
    auto err = plugins_.call(entry.owner, "support action " + name, [&] { entry.spec.run(call, res); });
    if (!err) return;
    const std::string message = "support action '" + name + "' failed: " + *err;
    if (!res.sent()) {
        res.error(500, "action-failed", message);
    } else if (auto* http = dynamic_cast<HostResponse*>(&res); http && http->streaming()) {
        // The stream is open: end it the way every action stream ends.
        Poco::JSON::Object error, end;
        error.set("type", "error");
        error.set("message", message);
        end.set("type", "end");
        end.set("code", 1);
        end.set("reason", "action-failed");
        std::ostringstream a, b;
        error.stringify(a);
        end.stringify(b);
        res.stream().writeLine(a.str());
        res.stream().writeLine(b.str());
    }
}

} // namespace wildws::host
