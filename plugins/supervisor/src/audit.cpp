#include "audit.hpp"

#include "clock.hpp"

#include <wildws/services.hpp>
#include <wildws/services/consent.hpp>

#include <spdlog/spdlog.h>

namespace wildws::supervisor {

void Audit::record(const std::string& action, int tier, bool ok, const std::string& detail) {
    std::shared_ptr<Consent> consent;
    try {
        consent = services_.find<Consent>();
    } catch (const std::exception&) {
    }
    if (!consent) {
        log_->warn("audit unavailable (the consent plugin is not loaded): {} {}: {}", action, ok ? "ok" : "failed",
                   detail);
        return;
    }
    AuditEntry e;
    e.ts = common::nowMs();
    e.action = action;
    e.tier = tier;
    e.ok = ok;
    e.actor = "supervisor";
    e.detail = detail;
    bool written = false;
    try {
        written = consent->append(e);
    } catch (const std::exception& ex) {
        log_->warn("audit append threw: {}", ex.what());
    }
    if (written) log_->info("audited {} {}: {}", action, ok ? "ok" : "failed", detail);
    else log_->error("could not write the audit: {} {}: {}", action, ok ? "ok" : "failed", detail);
}

} // namespace wildws::supervisor
