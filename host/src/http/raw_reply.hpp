// A complete error response as bytes, for the places that answer before (or
// instead of) Poco's response object: the acceptor (408, 431, 503) and a
// head Poco could not parse (400). Always "HTTP/1.1", the real reason
// phrase, the one JSON error shape, and Connection: close.
#pragma once

#include <string>

namespace wildws::host {

/// RFC 9110's reason phrase ("408 Request Timeout"; Poco still has some of
/// RFC 2616's, e.g. "Request Time-out").
std::string reasonPhrase(int status);

std::string rawErrorReply(int status, const std::string& code, const std::string& message);

/// Best effort, never blocks, never raises SIGPIPE.
void sendNow(int fd, const std::string& bytes);

} // namespace wildws::host
