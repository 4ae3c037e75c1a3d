// Small helpers for the process tests: read a child's output with poll().
#pragma once

#include <wildws/process.hpp>

#include <poll.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace pt {

using namespace std::chrono_literals;

/// Reads `stream` until `until` appears in what was read (or its end, or `timeout`).
inline std::string readUntil(wildws::ChildProcess& p, wildws::ChildProcess::Stream stream, const std::string& until,
                             std::chrono::milliseconds timeout = 10s) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
        int fd = stream == wildws::ChildProcess::Stream::Stdout   ? p.stdoutFd()
                 : stream == wildws::ChildProcess::Stream::Stderr ? p.stderrFd()
                                                                  : p.terminalFd();
        if (fd < 0) break;
        pollfd f{fd, POLLIN, 0};
        if (::poll(&f, 1, 50) <= 0) continue;
        long n = p.read(stream, buf, sizeof buf);
        if (n > 0) got.append(buf, static_cast<std::size_t>(n));
        if (n == 0) break;
        if (!until.empty() && got.find(until) != std::string::npos) break;
    }
    return got;
}

inline std::string readAll(wildws::ChildProcess& p, wildws::ChildProcess::Stream s = wildws::ChildProcess::Stream::Stdout) {
    return readUntil(p, s, "");
}

/// Gone: no /proc entry, or a zombie (dead, waiting for its parent).
inline bool gone(int pid) {
    auto st = wildws::processState(pid);
    return !st || *st == 'Z' || *st == 'X';
}

inline bool waitGone(int pid, std::chrono::milliseconds d) {
    auto deadline = std::chrono::steady_clock::now() + d;
    while (!gone(pid)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

inline wildws::SpawnOptions shell(const std::string& script) {
    wildws::SpawnOptions o;
    o.argv = {"/bin/sh", "-c", script};
    o.env = wildws::childEnvironment();
    return o;
}

} // namespace pt
