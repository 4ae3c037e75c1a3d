// Raw TCP for the tests that send exactly the bytes an attacker would.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace rawsock {

inline int connectTo(int port) {
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

inline void sendAll(int fd, const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        auto n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

struct Reply {
    std::string bytes;   // everything received
    bool closed = false; // the server closed the connection (EOF or reset)
};

/// Reads until the server closes or `quiet` passes with nothing new.
inline Reply readUntilClose(int fd, std::chrono::milliseconds quiet = std::chrono::milliseconds(3000)) {
    Reply r;
    char buf[4096];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) return r;
        auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            r.closed = true;
            return r;
        }
        r.bytes.append(buf, static_cast<std::size_t>(n));
    }
}

/// One connection: send, read until the server closes (or goes quiet).
inline Reply exchange(int port, const std::string& bytes, std::chrono::milliseconds quiet = std::chrono::milliseconds(3000)) {
    int fd = connectTo(port);
    if (fd < 0) return {};
    sendAll(fd, bytes);
    auto r = readUntilClose(fd, quiet);
    ::close(fd);
    return r;
}

/// A header line, matched case-insensitively ("connection: close").
inline bool hasHeaderLine(const std::string& reply, std::string line) {
    std::string lowered = reply;
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lowered.find("\r\n" + line + "\r\n") != std::string::npos;
}

inline std::string statusLine(const std::string& reply) { return reply.substr(0, reply.find("\r\n")); }
inline std::string body(const std::string& reply) {
    auto p = reply.find("\r\n\r\n");
    return p == std::string::npos ? "" : reply.substr(p + 4);
}

} // namespace rawsock
