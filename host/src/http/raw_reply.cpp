#include "http/raw_reply.hpp"

#include "http/exchange.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <sys/socket.h>

namespace wildws::host {

std::string reasonPhrase(int status) {
    switch (status) {
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 504: return "Gateway Timeout";
    default:
        return Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    }
}

std::string rawErrorReply(int status, const std::string& code, const std::string& message) {
    std::string body = errorJson(code, message);
    return "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) +
           "\r\nContent-Type: application/json\r\nConnection: close\r\nCache-Control: no-store\r\n"
           "X-Content-Type-Options: nosniff\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

void sendNow(int fd, const std::string& bytes) {
    (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

} // namespace wildws::host
