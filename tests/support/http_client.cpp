#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace wt {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

int connectTo(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool hasHeader(const Headers& h, const std::string& name) {
    for (auto& [k, v] : h)
        if (lower(k) == lower(name)) return true;
    return false;
}

} // namespace

std::optional<std::string> HttpResult::header(const std::string& name) const {
    for (auto& [k, v] : headers)
        if (lower(k) == lower(name)) return v;
    return std::nullopt;
}

std::string rawRequest(int port, const std::string& method, const std::string& path, Headers headers,
                       const std::string& body) {
    std::string out = method + " " + path + " HTTP/1.1\r\n";
    if (!hasHeader(headers, "Host")) out += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (auto& [k, v] : headers)
        if (!(lower(k) == "host" && v == "<omit>")) out += k + ": " + v + "\r\n";
    if (!body.empty() && !hasHeader(headers, "Content-Length") && !hasHeader(headers, "Transfer-Encoding"))
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n" + body;
    return out;
}

HttpStream::HttpStream(int port, const std::string& request) {
    fd_ = connectTo(port);
    if (fd_ >= 0) send(request);
}

HttpStream::~HttpStream() { close(); }

void HttpStream::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void HttpStream::send(const std::string& bytes) {
    std::size_t done = 0;
    while (fd_ >= 0 && done < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
}

bool HttpStream::fill(std::chrono::steady_clock::time_point deadline) {
    if (fd_ < 0) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
        ended_ = true;
        return false;
    }
    raw_.append(buf, static_cast<std::size_t>(n));
    return true;
}

int HttpStream::status(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!headDone_) {
        auto end = raw_.find("\r\n\r\n");
        if (end != std::string::npos) {
            std::string head = raw_.substr(0, end);
            raw_.erase(0, end + 4);
            headDone_ = true;
            if (head.size() > 12) status_ = std::stoi(head.substr(9, 3));
            chunked_ = lower(head).find("transfer-encoding: chunked") != std::string::npos;
            break;
        }
        if (!fill(deadline)) break;
    }
    return status_;
}

bool HttpStream::nextChunkData(std::chrono::steady_clock::time_point deadline) {
    if (!chunked_) {
        if (raw_.empty() && !fill(deadline)) return false;
        body_ += raw_;
        raw_.clear();
        return true;
    }
    for (;;) {
        auto crlf = raw_.find("\r\n");
        if (crlf != std::string::npos) {
            std::size_t size = std::stoul(raw_.substr(0, crlf), nullptr, 16);
            if (size == 0) {
                ended_ = true;
                return false;
            }
            if (raw_.size() >= crlf + 2 + size + 2) {
                body_ += raw_.substr(crlf + 2, size);
                raw_.erase(0, crlf + 2 + size + 2);
                return true;
            }
        }
        if (!fill(deadline)) return false;
    }
}

std::optional<std::string> HttpStream::line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    if (!headDone_ && status(timeout) == 0) return std::nullopt;
    for (;;) {
        auto nl = body_.find('\n');
        if (nl != std::string::npos) {
            std::string l = body_.substr(0, nl);
            body_.erase(0, nl + 1);
            return l;
        }
        if (!nextChunkData(deadline)) return std::nullopt;
    }
}

HttpResult http(int port, const std::string& method, const std::string& path, Headers headers,
                const std::string& body, std::chrono::milliseconds timeout) {
    HttpResult r;
    int fd = connectTo(port);
    if (fd < 0) return r;
    std::string request = rawRequest(port, method, path, headers, body);
    std::size_t done = 0;
    while (done < request.size()) {
        ssize_t n = ::send(fd, request.data() + done, request.size() - done, MSG_NOSIGNAL);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    std::string raw;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[65536];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos || raw.size() < 12) return r;
    std::string head = raw.substr(0, end);
    std::string rest = raw.substr(end + 4);
    r.status = std::stoi(head.substr(9, 3));
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
        auto next = head.find("\r\n", pos + 2);
        std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string v = line.substr(colon + 1);
            v.erase(0, v.find_first_not_of(' '));
            r.headers.emplace_back(line.substr(0, colon), v);
        }
        pos = next;
    }
    if (lower(r.header("Transfer-Encoding").value_or("")) == "chunked") {
        std::size_t p = 0;
        for (;;) {
            auto crlf = rest.find("\r\n", p);
            if (crlf == std::string::npos) break;
            std::size_t size = std::stoul(rest.substr(p, crlf - p), nullptr, 16);
            if (size == 0) break;
            r.body += rest.substr(crlf + 2, size);
            p = crlf + 2 + size + 2;
        }
    } else {
        r.body = rest;
    }
    return r;
}

} // namespace wt
