#include "settings.hpp"

#include "wildws_test.hpp"

#include <wildws/config.hpp>

#include <catch2/catch.hpp>

#include <map>

using namespace wildws::supervisor;

namespace {

using Values = std::map<std::string, std::string>;

class MapConfig : public wildws::Config {
public:
    explicit MapConfig(std::map<std::string, std::string> values) : values_(std::move(values)) {}
    std::optional<std::string> get(const std::string& key) const override {
        auto it = values_.find(key);
        if (it == values_.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::string> keys() const override {
        std::vector<std::string> out;
        for (auto& [k, v] : values_) out.push_back(k);
        return out;
    }
    std::string section() const override { return "[plugin.supervisor]"; }

private:
    std::map<std::string, std::string> values_;
};

} // namespace

TEST_CASE("supervisor settings default to the issue's numbers", "[supervisor][settings]") {
    auto r = readSettings(MapConfig({}));
    REQUIRE(r.error.empty());
    auto& s = r.settings;
    CHECK(s.backoffStart == ms(500));
    CHECK(s.backoffCap == ms(30000));
    CHECK(s.healthyReset == ms(30000));
    CHECK(s.crashLoopStarts == 5);
    CHECK(s.crashLoopWindow == ms(60000));
    CHECK(s.healthFailures == 3);
    CHECK(s.restartMinInterval == ms(30000));
    CHECK(s.superviseDaemon);
    CHECK(s.safeMode);
    CHECK(s.exitDetection == ExitDetection::Pidfd);
}

TEST_CASE("supervisor settings read every key", "[supervisor][settings]") {
    auto r = readSettings(MapConfig(Values{{"backoff_start_ms", "100"},
                                     {"backoff_cap_ms", "400"},
                                     {"healthy_reset_seconds", "2"},
                                     {"crash_loop_starts", "3"},
                                     {"crash_loop_window_seconds", "10"},
                                     {"health_failures", "2"},
                                     {"exit_detection", "poll"},
                                     {"poll_interval_ms", "1000"},
                                     {"safe_mode", "off"},
                                     {"supervise_daemon", "no"}}));
    REQUIRE(r.error.empty());
    CHECK(r.settings.backoffStart == ms(100));
    CHECK(r.settings.backoffCap == ms(400));
    CHECK(r.settings.healthyReset == ms(2000));
    CHECK(r.settings.crashLoopStarts == 3);
    CHECK(r.settings.crashLoopWindow == ms(10000));
    CHECK(r.settings.healthFailures == 2);
    CHECK(r.settings.exitDetection == ExitDetection::Poll);
    CHECK_FALSE(r.settings.safeMode);
    CHECK_FALSE(r.settings.superviseDaemon);
}

TEST_CASE("supervisor settings refuse bad values naming the key", "[supervisor][settings]") {
    auto word = readSettings(MapConfig(Values{{"crash_loop_starts", "five"}}));
    CHECK(wt::contains(word.error, "crash_loop_starts"));
    auto range = readSettings(MapConfig(Values{{"crash_loop_starts", "0"}}));
    CHECK(wt::contains(range.error, "[plugin.supervisor] crash_loop_starts = 0: expected 1..1000"));
    auto mode = readSettings(MapConfig(Values{{"exit_detection", "sigchld"}}));
    CHECK(wt::contains(mode.error, "expected pidfd or poll"));
    auto order = readSettings(MapConfig(Values{{"backoff_start_ms", "1000"}, {"backoff_cap_ms", "10"}}));
    CHECK(wt::contains(order.error, "below backoff_start_ms"));
}

TEST_CASE("supervisor settings declare every key they read, with the default readSettings uses", "[supervisor][settings]") {
    auto keys = settingKeys();
    Settings d;
    auto find = [&](const std::string& name) -> const wildws::ConfigKey* {
        for (auto& k : keys)
            if (k.name == name) return &k;
        return nullptr;
    };
    REQUIRE(keys.size() == 19);
    for (auto& k : keys) {
        INFO(k.name);
        CHECK_FALSE(k.help.empty());
        CHECK_FALSE(k.defaultValue.empty());
    }
    REQUIRE(find("backoff_start_ms"));
    CHECK(find("backoff_start_ms")->defaultValue == std::to_string(d.backoffStart.count()));
    REQUIRE(find("start_timeout_seconds"));
    CHECK(find("start_timeout_seconds")->defaultValue == "30");
    CHECK(find("exit_detection")->defaultValue == "pidfd");
    CHECK(find("supervise_daemon")->defaultValue == "true");
    CHECK_FALSE(find("enabled")); // the host's own key for every plugin
}
