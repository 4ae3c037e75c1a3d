#include "http/body_reader.hpp"

namespace wildws::host {
namespace {

constexpr std::size_t kMaxLine = 4096;     // a chunk-size line with its extensions
constexpr std::size_t kMaxTrailers = 8192; // all trailer lines together

int hexValue(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Reads up to and including CRLF; false on EOF, a bare LF or an overlong line.
BodyStatus readLine(ByteSource& in, std::string& line, std::size_t max) {
    line.clear();
    for (;;) {
        int c = in.get();
        if (c < 0) return BodyStatus::Truncated;
        if (c == '\r') {
            int n = in.get();
            if (n < 0) return BodyStatus::Truncated;
            return n == '\n' ? BodyStatus::Ok : BodyStatus::Malformed;
        }
        if (c == '\n' || line.size() >= max) return BodyStatus::Malformed;
        line += static_cast<char>(c);
    }
}

} // namespace

BodyStatus readFixedBody(ByteSource& in, std::uint64_t length, std::string& out) {
    char buf[16384];
    while (length > 0) {
        std::size_t want = length < sizeof buf ? static_cast<std::size_t>(length) : sizeof buf;
        std::size_t n = in.read(buf, want);
        if (n == 0) return BodyStatus::Truncated;
        out.append(buf, n);
        length -= n;
    }
    return BodyStatus::Ok;
}

BodyStatus readChunkedBody(ByteSource& in, std::size_t cap, std::string& out) {
    std::string line;
    char buf[16384];
    for (;;) {
        if (auto s = readLine(in, line, kMaxLine); s != BodyStatus::Ok) return s;
        std::size_t i = 0;
        std::uint64_t size = 0;
        for (; i < line.size() && hexValue(static_cast<unsigned char>(line[i])) >= 0; ++i) {
            if (i >= 16) return BodyStatus::Malformed;
            size = size * 16 + static_cast<std::uint64_t>(hexValue(static_cast<unsigned char>(line[i])));
        }
        if (i == 0) return BodyStatus::Malformed;
        // After the digits: nothing, or whitespace / ';' starting an extension.
        if (i < line.size() && line[i] != ';' && line[i] != ' ' && line[i] != '\t') return BodyStatus::Malformed;
        if (size == 0) break;
        if (size > cap || out.size() + size > cap) return BodyStatus::TooLarge;
        for (std::uint64_t left = size; left > 0;) {
            std::size_t want = left < sizeof buf ? static_cast<std::size_t>(left) : sizeof buf;
            std::size_t n = in.read(buf, want);
            if (n == 0) return BodyStatus::Truncated;
            out.append(buf, n);
            left -= n;
        }
        int cr = in.get();
        int lf = cr < 0 ? -1 : in.get();
        if (cr < 0 || lf < 0) return BodyStatus::Truncated;
        if (cr != '\r' || lf != '\n') return BodyStatus::Malformed;
    }
    // Trailer fields until the empty line.
    std::size_t trailerBytes = 0;
    for (;;) {
        if (auto s = readLine(in, line, kMaxLine); s != BodyStatus::Ok) return s;
        if (line.empty()) return BodyStatus::Ok;
        trailerBytes += line.size() + 2;
        if (trailerBytes > kMaxTrailers) return BodyStatus::Malformed;
    }
}

} // namespace wildws::host
