// Shared bits for the consent unit tests.
#pragma once

#include "clock.hpp"
#include "consent_service.hpp"

#include <wildws/command.hpp>
#include <wildws_test.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

namespace consent_unit {

/// 2026-01-01T00:00:00Z
constexpr std::int64_t kT0 = 1767225600000;
constexpr std::int64_t kMinute = 60000;

inline void utc() {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
}

class FakeInvocation : public wildws::Invocation {
public:
    FakeInvocation(std::map<std::string, std::string> values = {}, std::set<std::string> flags = {})
        : values_(std::move(values)), flags_(std::move(flags)) {}
    bool flag(const std::string& name) const override { return flags_.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const override {
        auto it = values_.find(name);
        if (it == values_.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::string> positional(const std::string&) const override { return std::nullopt; }
    std::ostream& out() override { return out_; }
    std::ostream& err() override { return err_; }
    bool interrupted() const override { return false; }
    bool waitInterrupted(std::chrono::milliseconds) const override { return false; }
    std::string outText() const { return out_.str(); }
    std::string errText() const { return err_.str(); }

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::ostringstream out_, err_;
};

/// A service on a temp home with a manual clock.
struct Fixture {
    wt::TempDir dir;
    std::shared_ptr<wildws::consent::ManualClock> clock = std::make_shared<wildws::consent::ManualClock>(kT0);
    std::shared_ptr<wildws::consent::ConsentService> service;

    explicit Fixture(std::int64_t maxMinutes = wildws::consent::kHardMaxMinutes, std::string configError = {}) {
        utc();
        reset(maxMinutes, std::move(configError));
    }
    /// A new service (a new process, as far as the service can tell).
    void reset(std::int64_t maxMinutes = wildws::consent::kHardMaxMinutes, std::string configError = {}) {
        wildws::consent::ServiceSettings s;
        s.home = dir.path();
        s.maxMinutes.minutes = maxMinutes;
        s.maxMinutes.error = std::move(configError);
        service = std::make_shared<wildws::consent::ConsentService>(s, clock, nullptr);
    }
    std::string grantFile() const { return dir / "support-consent.json"; }
    std::string auditFile() const { return dir / "support-audit.jsonl"; }
    std::string operatorFile() const { return dir / "operator.json"; }
};

inline int modeOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
}

inline bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

} // namespace consent_unit
