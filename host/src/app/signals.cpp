#include "app/signals.hpp"

#include <csignal>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace wildws::host {
namespace {

// The signal thread is detached and may still be inside requestStop()
// while the process exits, so this state is never destroyed: a static
// condition variable would be torn down by exit under its feet (a race
// ThreadSanitizer reports). Allocated once, intentionally leaked.
struct State {
    std::mutex mutex;
    std::condition_variable cv;
    bool stop = false;
    int signal = 0;
    std::function<void(int)> onStop;
};

State& state() {
    static State* s = new State;
    return *s;
}

sigset_t stopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

} // namespace

void Signals::ignoreBrokenPipe() { std::signal(SIGPIPE, SIG_IGN); }

void Signals::block() {
    sigset_t set = stopSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void Signals::start(std::function<void(int)> onStop) {
    {
        std::lock_guard lock(state().mutex);
        state().onStop = std::move(onStop);
    }
    std::thread([] {
        sigset_t set = stopSignals();
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) continue;
            requestStop(sig);
        }
    }).detach();
}

void Signals::requestStop(int signal) {
    std::function<void(int)> callback;
    {
        std::lock_guard lock(state().mutex);
        if (!state().stop) callback = state().onStop;
        state().stop = true;
        state().signal = signal;
    }
    state().cv.notify_all();
    if (callback) callback(signal);
}

bool Signals::stopRequested() {
    std::lock_guard lock(state().mutex);
    return state().stop;
}

int Signals::lastSignal() {
    std::lock_guard lock(state().mutex);
    return state().signal;
}

bool Signals::waitFor(std::chrono::milliseconds d) {
    std::unique_lock lock(state().mutex);
    return state().cv.wait_for(lock, d, [] { return state().stop; });
}

} // namespace wildws::host
