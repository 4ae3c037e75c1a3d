#include "http/http_server.hpp"

#include "http/acceptor.hpp"
#include "http/active_connections.hpp"
#include "http/dispatcher.hpp"
#include "http/raw_reply.hpp"
#include "http/server_session.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <spdlog/spdlog.h>

#include <Poco/Net/StreamSocketImpl.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wildws::host {

HttpServer::HttpServer(ServerCore& core) : core_(core) {}

HttpServer::~HttpServer() {
    if (started_) stop(std::chrono::milliseconds(0));
}

void HttpServer::start() {
    const auto& listen = core_.listen;
    Poco::Net::ServerSocket socket;
    try {
        Poco::Net::SocketAddress address(listen.bind, static_cast<Poco::UInt16>(listen.port));
        socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
        socket.listen(std::max(128, listen.limits.queue * 2));
    } catch (const Poco::Exception& e) {
        throw BindError(e.displayText());
    }
    core_.port = socket.address().port();

    active_ = std::make_unique<ActiveConnections>();
    dispatcher_ = std::make_unique<Dispatcher>(core_, *active_);
    AcceptorSettings settings;
    settings.headTimeout = std::chrono::seconds(listen.limits.timeoutSeconds);
    settings.idleTimeout = std::chrono::seconds(listen.limits.keepAliveSeconds);
    settings.maxConnections = static_cast<std::size_t>(listen.limits.maxConnections);
    acceptor_ = std::make_unique<Acceptor>(socket, settings, [this](std::unique_ptr<Connection>& c) { return offer(c); });
    started_ = true;
    for (int i = 0; i < listen.limits.threads; ++i) workers_.emplace_back([this] { work(); });
    watchdog_ = std::thread([this] { watch(); });
    acceptor_->start();
}

bool HttpServer::offer(std::unique_ptr<Connection>& c) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        // Every queued connection has a complete head, so the queue drains
        // as fast as the workers answer; past its cap the server is busy.
        if (static_cast<int>(queue_.size()) >= core_.listen.limits.queue + idleWorkers_) return false;
        queue_.push_back(std::move(c));
    }
    cv_.notify_one();
    return true;
}

void HttpServer::work() {
    for (;;) {
        std::unique_ptr<Connection> c;
        {
            std::unique_lock lock(mutex_);
            ++idleWorkers_;
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            --idleWorkers_;
            if (queue_.empty()) return; // stopping
            c = std::move(queue_.front());
            queue_.pop_front();
        }
        int fd = c->socket.impl()->sockfd();
        active_->enter(fd);
        std::unique_ptr<Connection> back;
        try {
            back = serve(std::move(c));
        } catch (const std::exception& e) {
            core_.log->warn("http: a connection ended with an error: {}", e.what());
        }
        active_->leave(fd);
        if (back) acceptor_->park(std::move(back));
    }
}

void HttpServer::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        watchCv_.wait_for(lock, std::chrono::milliseconds(100));
        lock.unlock();
        active_->sweep(std::chrono::steady_clock::now());
        lock.lock();
    }
}

std::unique_ptr<Connection> HttpServer::serve(std::unique_ptr<Connection> c) {
    const auto& limits = core_.listen.limits;
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setTimeout(Poco::Timespan(limits.timeoutSeconds, 0));
    params->setKeepAlive(limits.keepAliveSeconds > 0);
    params->setMaxKeepAliveRequests(limits.maxKeepAliveRequests);
    params->setKeepAliveTimeout(Poco::Timespan(limits.keepAliveSeconds, 0));
    auto& socket = c->socket;
    int fd = socket.impl()->sockfd();
    socket.setReceiveTimeout(Poco::Timespan(limits.timeoutSeconds, 0));
    socket.setSendTimeout(Poco::Timespan(limits.timeoutSeconds, 0));
    socket.setBlocking(true);
    // The session closes its socket when it goes: give it a duplicate, so
    // the connection itself outlives the session and can be parked again.
    int dupFd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupFd < 0) return nullptr;
    Poco::Net::StreamSocket sessionSocket(new Poco::Net::StreamSocketImpl(dupFd));
    ServerSession session(sessionSocket, params);

    auto lingering = [&]() -> std::unique_ptr<Connection> {
        // Close gracefully: the acceptor drains what the client still sends.
        ::shutdown(fd, SHUT_WR);
        c->phase = Connection::Phase::Linger;
        c->deadline = SteadyClock::now() + std::chrono::seconds(2);
        return std::move(c);
    };

    for (;;) {
        // The first head is buffered (the acceptor saw it whole); a next,
        // pipelined one must arrive within the same deadline.
        active_->arm(fd, SteadyClock::now() + std::chrono::seconds(limits.timeoutSeconds));
        bool keepAlive = false;
        try {
            Poco::Net::HTTPServerResponseImpl response(session);
            Poco::Net::HTTPServerRequestImpl request(response, session, params.get());
            active_->disarm(fd);
            response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1); // never echo the client's version
            response.setDate(Poco::Timestamp());
            response.set("Server", "wildws/" + core_.version);
            keepAlive = params->getKeepAlive() && request.getKeepAlive() && !core_.stopping &&
                        (limits.maxKeepAliveRequests == 0 || c->served + 1 < limits.maxKeepAliveRequests);
            response.setKeepAlive(keepAlive);
            dispatcher_->handle(request, response, session, fd);
            keepAlive = keepAlive && response.getKeepAlive() && !core_.stopping;
            ++c->served;
        } catch (const Poco::Net::NoMessageException&) {
            return nullptr; // the client closed (or the deadline cut it) before a new request
        } catch (const Poco::Net::MessageException& e) {
            if (active_->fired(fd)) return nullptr;
            sendNow(fd, rawErrorReply(400, "bad-request", "malformed request head: " + e.message()));
            return lingering();
        } catch (const Poco::SyntaxException& e) {
            // HTTPServerRequestImpl parses Content-Length as it is built; a
            // value that is not a 64-bit number lands here.
            std::string value = e.message().substr(e.message().rfind(": ") == std::string::npos
                                                       ? 0
                                                       : e.message().rfind(": ") + 2);
            sendNow(fd, rawErrorReply(400, "bad-request", "Content-Length '" + value + "' is not a number of bytes"));
            return lingering();
        } catch (const Poco::Exception&) {
            return nullptr; // a timeout or a reset: nothing useful to answer
        }
        if (!keepAlive) return lingering();
        if (session.hasBuffered()) continue; // a pipelined request
        c->phase = Connection::Phase::Idle;
        c->deadline = SteadyClock::now() + std::chrono::seconds(limits.keepAliveSeconds);
        return c;
    }
}

bool HttpServer::stop(std::chrono::milliseconds grace) {
    core_.stopping = true;
    if (!started_) return true;
    started_ = false;
    acceptor_->stop();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    watchCv_.notify_all();
    active_->abortAll();
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (core_.inFlight > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    bool drained = core_.inFlight == 0;
    if (watchdog_.joinable()) watchdog_.join();
    if (drained) {
        for (auto& t : workers_) t.join();
    } else {
        // A handler ignores Stream::closed(): leave its thread (and what it
        // uses) alive; the process is about to exit anyway.
        for (auto& t : workers_) t.detach();
        (void)dispatcher_.release();
        (void)active_.release();
        (void)acceptor_.release();
    }
    workers_.clear();
    return drained;
}

} // namespace wildws::host
