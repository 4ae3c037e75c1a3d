// One listening HTTP server (serve or daemon) with every limit explicit.
// Poco's TCPServer gives each accepted socket a worker thread that then
// blocks reading it, so a few slow clients starve everyone; here an
// acceptor (acceptor.hpp) parks every connection that has no complete head
// yet, or is idle between keep-alive requests, and a fixed set of workers
// serves only requests whose head is already buffered. Poco still parses
// the head and writes the response (HTTPServerSession / RequestImpl /
// ResponseImpl); the connection loop around them is ours.
#pragma once

#include "http/server_core.hpp"
#include "http/server_module.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wildws::host {

class Acceptor;
class ActiveConnections;
class Dispatcher;
struct Connection;

// Built into wildws-http.so only (server_module.hpp says why).
class HttpServer : public Server {
public:
    explicit HttpServer(ServerCore& core);
    ~HttpServer() override;
    void start() override;
    bool stop(std::chrono::milliseconds grace) override;

private:
    bool offer(std::unique_ptr<Connection>& c);
    void work();
    void watch();
    /// Serves requests on `c` while their heads are at hand; returns it when
    /// it should be parked again, null when it is closed.
    std::unique_ptr<Connection> serve(std::unique_ptr<Connection> c);

    ServerCore& core_;
    std::unique_ptr<ActiveConnections> active_;
    std::unique_ptr<Dispatcher> dispatcher_;
    std::unique_ptr<Acceptor> acceptor_;
    std::vector<std::thread> workers_;
    std::thread watchdog_;
    std::mutex mutex_;
    std::condition_variable cv_;      // workers: a connection is queued (or stop)
    std::condition_variable watchCv_; // the watchdog: stop (its own, so it never takes a worker's wakeup)
    std::deque<std::unique_ptr<Connection>> queue_;
    int idleWorkers_ = 0;
    bool stopping_ = false;
    bool started_ = false;
};

} // namespace wildws::host
