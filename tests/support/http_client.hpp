// A raw HTTP/1.1 client for tests: every header is exactly what the test
// says (a missing or odd Host header included), bodies may be chunked, and
// a stream can be read line by line or dropped mid-way.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wt {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
    int status = 0;      // 0: no response (connection closed or refused)
    Headers headers;
    std::string body;
    std::optional<std::string> header(const std::string& name) const; // case-insensitive
};

/// Sends one request and reads the whole response. Unless `headers` has a
/// Host entry, "Host: 127.0.0.1:<port>" is added; a Host entry with value
/// "<omit>" sends none. A non-empty body gets a Content-Length unless the
/// headers already frame it.
HttpResult http(int port, const std::string& method, const std::string& path, Headers headers = {},
                const std::string& body = {}, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

/// An open connection whose response is read as it arrives.
class HttpStream {
public:
    HttpStream(int port, const std::string& rawRequest);
    ~HttpStream();
    HttpStream(const HttpStream&) = delete;
    HttpStream& operator=(const HttpStream&) = delete;
    /// Status once the head arrived (0 if the connection closed first).
    int status(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
    /// The next body line (chunk framing removed), or nullopt on timeout/end.
    std::optional<std::string> line(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
    /// Sends raw bytes on the connection.
    void send(const std::string& bytes);
    void close();
    int fd() const { return fd_; }

private:
    bool fill(std::chrono::steady_clock::time_point deadline);
    bool nextChunkData(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::string raw_;      // bytes read, not yet consumed
    std::string body_;     // de-chunked body bytes not yet returned
    bool headDone_ = false;
    bool chunked_ = false;
    bool ended_ = false;
    int status_ = 0;
};

/// Builds a raw request with Host 127.0.0.1:port unless given.
std::string rawRequest(int port, const std::string& method, const std::string& path, Headers headers = {},
                       const std::string& body = {});

} // namespace wt
