// Every call from the host into plugin code goes through guarded(): it records
// on this thread which plugin and which call is running (read by the crash
// handler, async-signal-safely) and turns any exception into a message, so no
// exception ever crosses back into a host thread.
#pragma once

#include <exception>
#include <optional>
#include <string>

namespace wildws::host {

/// The plugin call running on this thread; fixed-size so a signal handler
/// can read it without allocating.
struct CallFrame {
    char plugin[64] = {};
    char call[96] = {};
};

/// This thread's frame (empty when no plugin code runs).
const CallFrame& currentCall() noexcept;

class CallScope {
public:
    CallScope(const std::string& plugin, const std::string& call) noexcept;
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

private:
    CallFrame saved_;
};

std::string describeCurrentException();

/// Runs f() inside a CallScope. Returns nullopt on success, else why it threw.
template <class F>
std::optional<std::string> guarded(const std::string& plugin, const std::string& call, F&& f) {
    CallScope scope(plugin, call);
    try {
        f();
        return std::nullopt;
    } catch (...) {
        return describeCurrentException();
    }
}

} // namespace wildws::host
