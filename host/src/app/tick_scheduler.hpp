// Runs the ticks of one role: one thread per tick, so a slow tick never
// delays another and a tick never overlaps itself. A tick that throws is
// logged and counted, and runs again at its next interval.
#pragma once

#include "plugins/registry.hpp"

#include <Poco/JSON/Array.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace wildws::host {

class PluginHost;

class TickScheduler {
public:
    TickScheduler(PluginHost& plugins, Role role);
    ~TickScheduler();
    void start();
    void stop();

private:
    void loop(TickEntry& tick);

    PluginHost& plugins_;
    Role role_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

/// The ticks' stats: [{plugin, name, role, intervalMs, lastRunAt, ...}].
Poco::JSON::Array::Ptr ticksArray(PluginHost& plugins);

} // namespace wildws::host
