#include "app/signals.hpp"

#include <csignal>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace wildws::host {
namespace {

std::mutex gMutex;
std::condition_variable gCv;
bool gStop = false;
int gSignal = 0;
std::function<void(int)> gOnStop;

sigset_t stopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

} // namespace

void Signals::block() {
    std::signal(SIGPIPE, SIG_IGN);
    sigset_t set = stopSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void Signals::start(std::function<void(int)> onStop) {
    {
        std::lock_guard lock(gMutex);
        gOnStop = std::move(onStop);
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
        std::lock_guard lock(gMutex);
        if (!gStop) callback = gOnStop;
        gStop = true;
        gSignal = signal;
    }
    gCv.notify_all();
    if (callback) callback(signal);
}

bool Signals::stopRequested() {
    std::lock_guard lock(gMutex);
    return gStop;
}

int Signals::lastSignal() {
    std::lock_guard lock(gMutex);
    return gSignal;
}

bool Signals::waitFor(std::chrono::milliseconds d) {
    std::unique_lock lock(gMutex);
    return gCv.wait_for(lock, d, [] { return gStop; });
}

} // namespace wildws::host
