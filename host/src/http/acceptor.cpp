#include "http/acceptor.hpp"

#include "http/head_scan.hpp"
#include "http/raw_reply.hpp"

#include <Poco/Net/StreamSocketImpl.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace wildws::host {
namespace {

constexpr std::uint32_t kEvents = EPOLLIN | EPOLLRDHUP | EPOLLET;

} // namespace

Acceptor::Acceptor(Poco::Net::ServerSocket listener, AcceptorSettings settings, Ready ready)
    : listener_(std::move(listener)), settings_(settings), ready_(std::move(ready)), peek_(settings.headCap + 1) {}

Acceptor::~Acceptor() { stop(); }

void Acceptor::start() {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    spare_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int lfd = listener_.impl()->sockfd();
    ::fcntl(lfd, F_SETFL, ::fcntl(lfd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN; // level-triggered: accept until EAGAIN anyway
    ev.data.fd = lfd;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, lfd, &ev);
    ev.data.fd = wake_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    thread_ = std::thread([this] { run(); });
}

void Acceptor::stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    std::uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof one);
    thread_.join();
    parked_.clear();
    parkedCount_ = 0;
    {
        std::lock_guard lock(returnedMutex_);
        returned_.clear();
    }
    listener_.close();
    ::close(epoll_);
    ::close(wake_);
    if (spare_ >= 0) ::close(spare_);
}

void Acceptor::park(std::unique_ptr<Connection> c) {
    {
        std::lock_guard lock(returnedMutex_);
        if (stop_) return; // dropping it closes the socket
        returned_.push_back(std::move(c));
    }
    std::uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof one);
}

int Acceptor::timeoutMs(SteadyClock::time_point now) const {
    auto next = now + std::chrono::milliseconds(1000);
    for (auto& [fd, c] : parked_)
        if (c->deadline < next) next = c->deadline;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
    return static_cast<int>(ms < 0 ? 0 : ms);
}

void Acceptor::run() {
    std::vector<epoll_event> events(128);
    int lfd = listener_.impl()->sockfd();
    while (!stop_) {
        int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeoutMs(SteadyClock::now()));
        if (stop_) break;
        for (int i = 0; i < n; ++i) {
            int fd = events[static_cast<std::size_t>(i)].data.fd;
            if (fd == lfd) acceptAll();
            else if (fd == wake_) {
                std::uint64_t v;
                (void)!::read(wake_, &v, sizeof v);
                adoptReturned();
            } else {
                onReadable(fd);
            }
        }
        expire(SteadyClock::now());
    }
}

void Acceptor::acceptAll() {
    int lfd = listener_.impl()->sockfd();
    for (;;) {
        int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if ((errno == EMFILE || errno == ENFILE) && spare_ >= 0) {
                // Out of descriptors: drop the oldest parked connection, and
                // use the reserved fd to take this one off the queue and
                // close it, so the listener does not spin.
                if (!parked_.empty()) {
                    makeRoom();
                    continue;
                }
                ::close(spare_);
                int victim = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
                if (victim >= 0) {
                    sendNow(victim, rawErrorReply(503, "busy", "the server is at capacity - retry shortly"));
                    ::close(victim);
                }
                spare_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                continue;
            }
            return; // EAGAIN, or an error the next round retries
        }
        int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        auto c = std::make_unique<Connection>();
        c->socket = Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(fd));
        c->phase = Connection::Phase::Head;
        c->since = SteadyClock::now();
        c->deadline = c->since + settings_.headTimeout;
        if (parked_.size() >= settings_.maxConnections) makeRoom();
        add(std::move(c));
    }
}

void Acceptor::adoptReturned() {
    std::vector<std::unique_ptr<Connection>> batch;
    {
        std::lock_guard lock(returnedMutex_);
        batch.swap(returned_);
    }
    for (auto& c : batch) {
        if (parked_.size() >= settings_.maxConnections) makeRoom();
        c->since = SteadyClock::now();
        add(std::move(c));
    }
}

void Acceptor::add(std::unique_ptr<Connection> c) {
    int fd = c->socket.impl()->sockfd();
    epoll_event ev{};
    ev.events = kEvents;
    ev.data.fd = fd;
    // Edge-triggered: a peeked, still incomplete head wakes us again only
    // when more bytes come. Adding a socket that is already readable
    // reports it at once.
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) return; // c closes
    parked_[fd] = std::move(c);
    parkedCount_ = parked_.size();
}

void Acceptor::drop(int fd) {
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    parked_.erase(fd); // the StreamSocket closes the fd
    parkedCount_ = parked_.size();
}

void Acceptor::makeRoom() {
    // Closing ones first, then idle keep-alive, then the oldest head.
    int victim = -1;
    int victimRank = 3;
    SteadyClock::time_point victimSince = SteadyClock::time_point::max();
    for (auto& [fd, c] : parked_) {
        int rank = c->phase == Connection::Phase::Linger ? 0 : c->phase == Connection::Phase::Idle ? 1 : 2;
        if (rank < victimRank || (rank == victimRank && c->since < victimSince)) {
            victim = fd;
            victimRank = rank;
            victimSince = c->since;
        }
    }
    if (victim < 0) return;
    if (victimRank == 2)
        sendNow(victim, rawErrorReply(503, "busy", "too many open connections - this one waited longest for its "
                                                   "request head"));
    drop(victim);
}

void Acceptor::lingerWith(int fd, const std::string& reply) {
    // Answer, stop sending, and read what the client still sends until it
    // closes: closing with unread input would reset the connection and
    // could destroy the answer before the client reads it.
    sendNow(fd, reply);
    ::shutdown(fd, SHUT_WR);
    auto it = parked_.find(fd);
    if (it == parked_.end()) return;
    it->second->phase = Connection::Phase::Linger;
    it->second->deadline = SteadyClock::now() + settings_.lingerTimeout;
    onReadable(fd); // drain what is already there
}

void Acceptor::onReadable(int fd) {
    auto it = parked_.find(fd);
    if (it == parked_.end()) return;
    Connection& c = *it->second;
    if (c.phase == Connection::Phase::Linger) {
        for (;;) {
            ssize_t n = ::recv(fd, peek_.data(), peek_.size(), MSG_DONTWAIT);
            if (n > 0) continue;
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
            return drop(fd);
        }
    }
    ssize_t n = ::recv(fd, peek_.data(), peek_.size(), MSG_PEEK | MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        return drop(fd);
    }
    if (n == 0) return drop(fd); // the client closed
    switch (scanHead(std::string_view(peek_.data(), static_cast<std::size_t>(n)), settings_.headCap)) {
    case HeadState::Incomplete:
        if (c.phase == Connection::Phase::Idle) {
            c.phase = Connection::Phase::Head; // a new request has begun: its head has the full time
            c.deadline = SteadyClock::now() + settings_.headTimeout;
        }
        return;
    case HeadState::TooLarge:
        return lingerWith(fd, rawErrorReply(431, "head-too-large",
                                            "the request head is larger than " +
                                                std::to_string(settings_.headCap / 1024) + " KiB"));
    case HeadState::Complete: {
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
        auto conn = std::move(it->second);
        parked_.erase(it);
        parkedCount_ = parked_.size();
        if (!ready_(conn) && conn) {
            // No worker free and the queue full: refuse this one, clearly.
            int cfd = conn->socket.impl()->sockfd();
            add(std::move(conn));
            lingerWith(cfd, rawErrorReply(503, "busy", "the server is at capacity - retry shortly"));
        }
        return;
    }
    }
}

void Acceptor::expire(SteadyClock::time_point now) {
    std::vector<int> late;
    for (auto& [fd, c] : parked_)
        if (c->deadline <= now) late.push_back(fd);
    for (int fd : late) {
        auto it = parked_.find(fd);
        if (it == parked_.end()) continue;
        auto& c = *it->second;
        if (c.phase == Connection::Phase::Head)
            lingerWith(fd, rawErrorReply(408, "request-timeout",
                                         "the request head did not arrive within " +
                                             std::to_string(settings_.headTimeout.count() / 1000) + " s"));
        else
            drop(fd);
    }
}

} // namespace wildws::host
