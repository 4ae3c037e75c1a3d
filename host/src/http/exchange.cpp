#include "http/exchange.hpp"

#include "http/raw_reply.hpp"

#include <Poco/JSON/Object.h>

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <sstream>

namespace wildws::host {

std::string errorJson(const std::string& code, const std::string& message) {
    Poco::JSON::Object o;
    o.set("error", code);
    o.set("message", message);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::optional<std::string> HttpRequest::param(std::string_view name) const {
    auto it = params_.find(std::string(name));
    if (it == params_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> HttpRequest::query(std::string_view name) const {
    auto it = query_.find(std::string(name));
    if (it == query_.end()) return std::nullopt;
    return it->second;
}

bool HttpStream::write(std::string_view text) {
    if (gone_ || stopping_) return false;
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    out_.flush(); // one chunk per write: Poco buffers 4 KiB otherwise
    if (!out_.good()) gone_ = true;
    else bytes_ += text.size();
    return !gone_;
}

bool HttpStream::writeLine(std::string_view line) {
    std::string text(line);
    text += '\n';
    return write(text);
}

bool HttpStream::closed() {
    if (gone_ || stopping_ || !out_.good()) return true;
    if (!socket_) return false;
    // A peer that closed its end makes the socket readable with 0 bytes (or
    // raises RDHUP/HUP): seen at once, without writing anything.
    pollfd p{socket_->impl()->sockfd(), POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) > 0) {
        if (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) gone_ = true;
        else if (p.revents & POLLIN) {
            char c;
            if (::recv(p.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0) gone_ = true;
        }
    }
    return gone_;
}

void HttpResponse::error(int status, const std::string& code, const std::string& message) {
    json(status, errorJson(code, message));
}

void HttpResponse::send(int status, const std::string& contentType, const std::string& body) {
    if (sent_) return;
    sent_ = true;
    status_ = status;
    bytes_ = body.size();
    // The real reason phrase ("401 Unauthorized"), not Poco's default "OK".
    res_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status), reasonPhrase(status));
    res_.setContentType(contentType);
    res_.setContentLength(static_cast<std::streamsize>(body.size()));
    res_.sendBuffer(body.data(), body.size());
}

Stream& HttpResponse::stream(const std::string& contentType) {
    if (stream_) return *stream_;
    if (sent_) {
        // A complete response went out already: hand back a stream that is
        // closed, so a confused handler stops instead of corrupting it.
        static std::ostringstream sink;
        static const std::atomic<bool> stopped{true};
        stream_ = std::make_unique<HttpStream>(sink, nullptr, stopped);
        return *stream_;
    }
    sent_ = true;
    status_ = 200;
    res_.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    res_.setContentType(contentType);
    res_.setChunkedTransferEncoding(true);
    res_.set("Cache-Control", "no-cache");
    res_.set("X-Accel-Buffering", "no");
    std::ostream& out = res_.send();
    out.flush();
    stream_ = std::make_unique<HttpStream>(out, socket_, stopping_);
    return *stream_;
}

} // namespace wildws::host
