#include "http/http_server.hpp"

#include "http/dispatcher.hpp"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <sys/socket.h>

#include <thread>

namespace wildws::host {
namespace {

// Runs on the acceptor thread: answers at once when nobody could serve the
// connection for a while, so an overloaded server refuses fast and clearly.
class OverloadFilter : public Poco::Net::TCPServerConnectionFilter {
public:
    OverloadFilter(ServerCore& core, const std::unique_ptr<Poco::Net::HTTPServer>& server)
        : core_(core), server_(server) {}
    bool accept(const Poco::Net::StreamSocket& socket) override {
        if (!server_ || server_->queuedConnections() < core_.listen.limits.queue) return true;
        static const char reply[] =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
            "Content-Length: 70\r\n\r\n{\"error\":\"busy\",\"message\":\"the server is at capacity - retry shortly\"}";
        ::send(socket.impl()->sockfd(), reply, sizeof reply - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        return false;
    }

private:
    ServerCore& core_;
    const std::unique_ptr<Poco::Net::HTTPServer>& server_;
};

} // namespace

HttpServer::HttpServer(ServerCore& core) : core_(core) {}

HttpServer::~HttpServer() {
    if (server_) stop(std::chrono::milliseconds(0));
}

void HttpServer::start() {
    const auto& listen = core_.listen;
    Poco::Net::ServerSocket socket;
    try {
        Poco::Net::SocketAddress address(listen.bind, static_cast<Poco::UInt16>(listen.port));
        socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
        socket.listen(std::max(64, listen.limits.queue * 2));
    } catch (const Poco::Net::NetException& e) {
        throw BindError(e.displayText());
    } catch (const Poco::Exception& e) {
        throw BindError(e.displayText());
    }
    core_.port = socket.address().port();

    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(listen.limits.threads);
    params->setMaxQueued(listen.limits.queue);
    params->setTimeout(Poco::Timespan(listen.limits.timeoutSeconds, 0));
    params->setKeepAlive(listen.limits.keepAliveSeconds > 0);
    params->setKeepAliveTimeout(Poco::Timespan(listen.limits.keepAliveSeconds, 0));
    params->setMaxKeepAliveRequests(listen.limits.maxKeepAliveRequests);
    params->setThreadIdleTime(Poco::Timespan(30, 0));
    params->setServerName("wildws");
    params->setSoftwareVersion("wildws/" + core_.version);

    pool_ = std::make_unique<Poco::ThreadPool>(2, listen.limits.threads, 60);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new DispatcherFactory(core_), *pool_, socket, params);
    server_->setConnectionFilter(new OverloadFilter(core_, server_));
    server_->start();
}

bool HttpServer::stop(std::chrono::milliseconds grace) {
    core_.stopping = true;
    if (!server_) return true;
    server_->stopAll(true);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (core_.inFlight > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    bool drained = core_.inFlight == 0;
    if (drained) {
        server_.reset();
        pool_->joinAll();
    } else {
        // A handler ignores Stream::closed(): leave the server object alive
        // (its threads still use it); the process is about to exit anyway.
        server_.release();
        pool_.release();
    }
    return drained;
}

} // namespace wildws::host
