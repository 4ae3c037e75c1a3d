// One listening HTTP server (serve or daemon) with every limit explicit.
// When the accept queue is full, new connections get an immediate 503
// instead of Poco's silent close.
#pragma once

#include "http/server_core.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
} // namespace Poco

namespace wildws::host {

/// The port could not be bound; the message is the one line for the user.
class BindError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class HttpServer {
public:
    explicit HttpServer(ServerCore& core);
    ~HttpServer();
    /// Binds and starts accepting; sets core.port. Throws BindError.
    void start();
    /// Stops accepting, tells open streams to end, waits for handlers up to
    /// `grace`. Returns false when some handler was still running.
    bool stop(std::chrono::milliseconds grace);

private:
    ServerCore& core_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::unique_ptr<Poco::ThreadPool> pool_;
};

} // namespace wildws::host
