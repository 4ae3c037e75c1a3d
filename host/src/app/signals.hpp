// SIGINT/SIGTERM handling for the whole process. block() must run before any
// thread exists, so every thread inherits the blocked mask and the signals
// reach only the one thread that waits for them.
#pragma once

#include <chrono>
#include <functional>

namespace wildws::host {

class Signals {
public:
    /// Ignores SIGPIPE (a closed socket or pipe must be an error, not
    /// death). Every command, first thing.
    static void ignoreBrokenPipe();
    /// Blocks SIGINT, SIGTERM and SIGHUP in this (the main) thread, before
    /// any other thread exists. Not for read-only commands: they keep the
    /// default actions (main.cpp).
    static void block();
    /// Starts the waiting thread. `onStop` runs on it at the first signal.
    static void start(std::function<void(int signal)> onStop = {});
    static bool stopRequested();
    static int lastSignal();
    /// Waits up to `d`; true as soon as a stop was requested.
    static bool waitFor(std::chrono::milliseconds d);
    /// For tests and serve: request a stop as if a signal came.
    static void requestStop(int signal);
};

} // namespace wildws::host
