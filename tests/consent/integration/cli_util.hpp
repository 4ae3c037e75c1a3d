// Runs the real wildws binary on a temp home with a plugins dir that holds
// only the consent plugin (and, when asked, the consentprobe fixture), so the
// output does not depend on which other plugins the build has.
#pragma once

#include <wildws_test.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace consent_cli {

/// 2026-01-01T00:00:00Z, and a minute, in ms.
constexpr long long kT0 = 1767225600000LL;
constexpr long long kMinute = 60000;

inline const std::string kTierLine =
    "wildws: support allow: tier must be 1..4 (1 = read-only diagnostics/logs, 2 = curated fixes, 3 = let support operate your agent, "
    "4 = raw shell).\n";
inline const std::string kMinutesLine =
    "wildws: support allow: minutes must be a positive whole number (e.g. --minutes 60); longer than the maximum (8h) is capped.\n";

class Home {
public:
    explicit Home(bool withProbe = false) {
        home_ = dir_ / "home";
        plugins_ = dir_ / "plugins";
        ::mkdir(home_.c_str(), 0700);
        ::mkdir(plugins_.c_str(), 0700);
        namespace fs = std::filesystem;
        fs::copy_file(CONSENT_PLUGIN_FILE, plugins_ + "/wildws-consent.so");
        if (withProbe) fs::copy_file(CONSENT_PROBE_FILE, plugins_ + "/wildws-consentprobe.so");
    }
    const std::string& path() const { return home_; }
    std::string operator/(const std::string& name) const { return home_ + "/" + name; }
    std::string grantFile() const { return home_ + "/support-consent.json"; }
    std::string auditFile() const { return home_ + "/support-audit.jsonl"; }

    /// `now`: the consent clock in ms (WILDWS_TEST_NOW_MS); 0 = the real clock.
    wt::Result run(const std::vector<std::string>& args, long long now = 0,
                   std::map<std::string, std::string> env = {}) const {
        std::vector<std::string> all{"--plugins-dir", plugins_};
        all.insert(all.end(), args.begin(), args.end());
        wt::RunOptions o;
        o.env = std::move(env);
        o.env["TZ"] = "UTC";
        if (now) o.env["WILDWS_TEST_NOW_MS"] = std::to_string(now);
        else o.unsetEnv.push_back("WILDWS_TEST_NOW_MS");
        return wt::wildws(home_, all, o);
    }

private:
    wt::TempDir dir_;
    std::string home_;
    std::string plugins_;
};

inline std::string pinnedNote(long long now) {
    return "  clock  : pinned by the test hook WILDWS_TEST_NOW_MS=" + std::to_string(now) + "\n";
}

inline bool fileExists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

} // namespace consent_cli
