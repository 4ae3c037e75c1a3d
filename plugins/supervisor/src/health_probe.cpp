#include "health_probe.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace wildws::supervisor {
namespace {

constexpr std::size_t kMaxResponse = 64 * 1024;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Removes chunked framing; returns false when the framing is broken.
bool dechunk(const std::string& in, std::string& out) {
    std::size_t pos = 0;
    while (pos < in.size()) {
        auto eol = in.find("\r\n", pos);
        if (eol == std::string::npos) return false;
        std::size_t size = 0;
        try {
            size = std::stoul(in.substr(pos, eol - pos), nullptr, 16);
        } catch (const std::exception&) {
            return false;
        }
        if (size == 0) return true;
        pos = eol + 2;
        if (pos + size > in.size()) return false;
        out.append(in, pos, size);
        pos += size + 2;
    }
    return false;
}

// True once `raw` holds a whole response (head + declared body).
bool complete(const std::string& raw) {
    auto headEnd = raw.find("\r\n\r\n");
    if (headEnd == std::string::npos) return false;
    std::string head = lower(raw.substr(0, headEnd));
    auto body = raw.size() - headEnd - 4;
    auto cl = head.find("\ncontent-length:");
    if (cl != std::string::npos) {
        try {
            return body >= std::stoul(head.substr(cl + 16));
        } catch (const std::exception&) {
            return false;
        }
    }
    if (head.find("transfer-encoding: chunked") != std::string::npos)
        return raw.size() >= 5 && raw.compare(raw.size() - 5, 5, "0\r\n\r\n") == 0;
    return false; // read to EOF
}

} // namespace

HealthResult parseHealthResponse(const std::string& raw, const std::string& expectedRole) {
    HealthResult r;
    auto headEnd = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.", 0) != 0 || headEnd == std::string::npos) {
        r.why = raw.empty() ? "closed the connection without answering" : "did not answer HTTP";
        return r;
    }
    int status = 0;
    try {
        status = std::stoi(raw.substr(9, 3));
    } catch (const std::exception&) {
    }
    std::string head = lower(raw.substr(0, headEnd));
    std::string body = raw.substr(headEnd + 4);
    if (head.find("transfer-encoding: chunked") != std::string::npos) {
        std::string plain;
        if (!dechunk(body, plain)) {
            r.why = "sent a broken chunked body";
            return r;
        }
        body = plain;
    }
    if (status != 200) {
        r.why = "answered HTTP " + std::to_string(status);
        return r;
    }
    auto o = json::parseObject(body);
    r.role = json::getString(o, "role").value_or("");
    r.version = json::getString(o, "version").value_or("");
    if (json::getString(o, "status").value_or("") != "ok") {
        r.why = "answered without {\"status\":\"ok\"}";
        return r;
    }
    if (!expectedRole.empty() && r.role != expectedRole) {
        r.why = "the port answers as '" + (r.role.empty() ? std::string("?") : r.role) + "', not '" + expectedRole +
                "' (another program holds it?)";
        return r;
    }
    r.ok = true;
    return r;
}

HealthProbe::~HealthProbe() { cancel(); }

void HealthProbe::cancel() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    phase_ = Phase::Idle;
}

void HealthProbe::finish(bool ok, const std::string& why) {
    if (ok) {
        result_ = parseHealthResponse(response_, role_);
    } else {
        result_ = {};
        result_.why = why;
    }
    cancel();
}

void HealthProbe::start(const std::string& host, int port, const std::string& expectedRole,
                        Mono::time_point deadline) {
    cancel();
    role_ = expectedRole;
    response_.clear();
    sent_ = 0;
    started_ = Mono::now();
    deadline_ = deadline;
    result_ = {};
    bool v6 = host.find(':') != std::string::npos;
    fd_ = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return finish(false, std::string("socket: ") + std::strerror(errno));
    int rc;
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET6, host.c_str(), &a.sin6_addr);
        rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, host.c_str(), &a.sin_addr);
        rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    std::string hostHeader = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
    request_ = "GET /health HTTP/1.1\r\nHost: " + hostHeader +
               "\r\nUser-Agent: wildws-supervisor\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
    if (rc == 0) {
        phase_ = Phase::Sending;
    } else if (errno == EINPROGRESS) {
        phase_ = Phase::Connecting;
    } else {
        finish(false, errno == ECONNREFUSED ? "connection refused" : std::string("connect: ") + std::strerror(errno));
    }
}

short HealthProbe::events() const {
    switch (phase_) {
    case Phase::Connecting:
    case Phase::Sending: return POLLOUT;
    case Phase::Reading: return POLLIN;
    default: return 0;
    }
}

bool HealthProbe::onReady(short revents) {
    if (fd_ < 0) return true;
    if (phase_ == Phase::Connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            finish(false, err == ECONNREFUSED ? "connection refused" : std::string("connect: ") + std::strerror(err));
            return true;
        }
        if (!(revents & POLLOUT)) return false;
        phase_ = Phase::Sending;
    }
    if (phase_ == Phase::Sending) {
        ssize_t n = ::send(fd_, request_.data() + sent_, request_.size() - sent_, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
        if (n < 0) {
            finish(false, std::string("send: ") + std::strerror(errno));
            return true;
        }
        sent_ += static_cast<std::size_t>(n);
        if (sent_ == request_.size()) phase_ = Phase::Reading;
        return false;
    }
    if (phase_ == Phase::Reading) {
        char buf[4096];
        for (;;) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n > 0) {
                response_.append(buf, static_cast<std::size_t>(n));
                if (response_.size() > kMaxResponse) {
                    finish(false, "answered more than 64 KiB");
                    return true;
                }
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EAGAIN) {
                if (complete(response_)) {
                    finish(true, "");
                    return true;
                }
                return false;
            }
            if (n < 0 && response_.empty()) {
                finish(false, std::string("recv: ") + std::strerror(errno));
                return true;
            }
            finish(true, ""); // EOF (or reset after data): judge what arrived
            return true;
        }
    }
    return true;
}

bool HealthProbe::expireIfDue(Mono::time_point now) {
    if (fd_ < 0 || now < deadline_) return false;
    finish(false, "timed out after " + std::to_string(msBetween(started_, now)) + " ms");
    return true;
}

HealthResult probeHealth(const std::string& host, int port, const std::string& expectedRole, ms timeout) {
    HealthProbe probe;
    probe.start(host, port, expectedRole, Mono::now() + timeout);
    while (probe.active()) {
        if (probe.expireIfDue(Mono::now())) break;
        // Round up so a sub-millisecond remainder waits instead of spinning.
        auto left = std::chrono::duration_cast<ms>(probe.deadline() - Mono::now()).count() + 1;
        pollfd p{probe.fd(), probe.events(), 0};
        int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc > 0) probe.onReady(p.revents);
        else if (rc == 0) probe.expireIfDue(Mono::now());
    }
    return probe.result();
}

} // namespace wildws::supervisor
