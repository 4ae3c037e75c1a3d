// Outcomes the owner must be able to read later (a support restart, a
// refused or rate-limited request, safe mode) go to the audit feed through
// the Consent service, looked up at each call (it is provided by another
// plugin, which may be disabled). Without it they go to the supervisor log
// only, and the log says the audit was unavailable.
#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace wildws {
class Services;
}

namespace wildws::supervisor {

class Audit {
public:
    Audit(Services& services, std::shared_ptr<spdlog::logger> log) : services_(services), log_(std::move(log)) {}
    /// Appends {action, tier, ok, actor:"supervisor", detail}; also logs it.
    void record(const std::string& action, int tier, bool ok, const std::string& detail);

private:
    Services& services_;
    std::shared_ptr<spdlog::logger> log_;
};

} // namespace wildws::supervisor
