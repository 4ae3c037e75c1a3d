// The connection parking lot. One thread owns the listening socket and every
// connection that is not ready to be served: one still sending its head, one
// idle between keep-alive requests, one being closed gracefully. It waits on
// them all with epoll and hands a connection to a worker only once its whole
// head is buffered in the kernel (MSG_PEEK, so Poco later reads it as usual).
// So slow or silent clients cost a file descriptor each, never a worker
// thread, and each head has one deadline for all of it, not one per read.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace wildws::host {

using SteadyClock = std::chrono::steady_clock;

struct Connection {
    enum class Phase { Head, Idle, Linger };
    Poco::Net::StreamSocket socket;
    Phase phase = Phase::Head;
    SteadyClock::time_point deadline;
    SteadyClock::time_point since; // when it was parked (the oldest goes first when full)
    int served = 0;                // requests answered on it so far
};

struct AcceptorSettings {
    std::chrono::milliseconds headTimeout{10000}; // the whole head, from its first byte
    std::chrono::milliseconds idleTimeout{5000};  // keep-alive idle
    std::chrono::milliseconds lingerTimeout{2000};
    std::size_t headCap = 64 * 1024;
    std::size_t maxConnections = 4096; // parked at once; the oldest is dropped past it
};

class Acceptor {
public:
    /// Called on the acceptor thread with a connection whose head is
    /// buffered; false when no worker can take it (it is then answered 503).
    using Ready = std::function<bool(std::unique_ptr<Connection>&)>;

    Acceptor(Poco::Net::ServerSocket listener, AcceptorSettings settings, Ready ready);
    ~Acceptor();
    void start();
    /// Stops accepting and closes every parked connection.
    void stop();
    /// From a worker: keep `c` (idle keep-alive, or a graceful close).
    void park(std::unique_ptr<Connection> c);
    std::size_t parkedCount() const { return parkedCount_; }

private:
    void run();
    void acceptAll();
    void adoptReturned();
    void onReadable(int fd);
    void expire(SteadyClock::time_point now);
    void add(std::unique_ptr<Connection> c);
    void drop(int fd);
    void makeRoom();
    void lingerWith(int fd, const std::string& reply);
    int timeoutMs(SteadyClock::time_point now) const;

    Poco::Net::ServerSocket listener_;
    AcceptorSettings settings_;
    Ready ready_;
    int epoll_ = -1;
    int wake_ = -1;  // eventfd: stop, or connections handed back
    int spare_ = -1; // a reserved fd, given up to accept-and-close at EMFILE
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::unordered_map<int, std::unique_ptr<Connection>> parked_;
    std::atomic<std::size_t> parkedCount_{0};
    std::mutex returnedMutex_;
    std::vector<std::unique_ptr<Connection>> returned_;
    std::vector<char> peek_;
};

} // namespace wildws::host
