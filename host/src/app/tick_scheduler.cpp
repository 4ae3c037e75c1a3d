#include "app/tick_scheduler.hpp"

#include "plugins/guard.hpp"
#include "plugins/plugin_host.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <wildws/common/json.hpp>


namespace wildws::host {
namespace {
std::int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

TickScheduler::TickScheduler(PluginHost& plugins, Role role) : plugins_(plugins), role_(role) {}

TickScheduler::~TickScheduler() { stop(); }

void TickScheduler::start() {
    for (auto& tick : plugins_.registry().ticks())
        if (tick.spec.role == role_) threads_.emplace_back([this, &tick] { loop(tick); });
}

void TickScheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void TickScheduler::loop(TickEntry& tick) {
    auto next = std::chrono::steady_clock::now() + tick.spec.interval;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (cv_.wait_until(lock, next, [this] { return stopping_; })) return;
        }
        if (tick.owner != kHostOwner && !plugins_.table().isLoaded(tick.owner)) return;
        auto started = std::chrono::steady_clock::now();
        auto startedWall = wallMs();
        // Ticks are retried, not fatal: call the guard directly instead of
        // PluginHost::call, which would turn the plugin off.
        auto err = guarded(tick.owner, "tick " + tick.spec.name, tick.spec.run);
        auto took = std::chrono::steady_clock::now() - started;
        {
            std::lock_guard lock(*tick.statsMutex);
            tick.stats->lastRunAt = startedWall;
            tick.stats->lastDurationMs = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
            ++tick.stats->runs;
            if (err) {
                ++tick.stats->failures;
                tick.stats->lastError = *err;
            }
        }
        next = std::max(next + tick.spec.interval, std::chrono::steady_clock::now());
    }
}

Poco::JSON::Array::Ptr ticksArray(PluginHost& plugins) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (auto& tick : plugins.registry().ticks()) {
        Poco::JSON::Object o;
        std::lock_guard lock(*tick.statsMutex);
        o.set("plugin", tick.owner);
        o.set("name", tick.spec.name);
        o.set("role", roleName(tick.spec.role));
        o.set("intervalMs", static_cast<std::int64_t>(tick.spec.interval.count()));
        wildws::common::json::setTimeOrNull(o, "lastRunAt", tick.stats->lastRunAt); // null: not yet
        o.set("lastDurationMs", tick.stats->lastDurationMs);
        o.set("runs", tick.stats->runs);
        o.set("failures", tick.stats->failures);
        o.set("lastError", tick.stats->lastError);
        list->add(o);
    }
    return list;
}

} // namespace wildws::host
