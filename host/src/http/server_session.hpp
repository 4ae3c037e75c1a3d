// Poco's server session with the two reads the body reader needs (they are
// protected in HTTPSession), so a body is read exactly as framed and the
// bytes after it stay buffered for the next request.
#pragma once

#include "http/body_reader.hpp"

#include <Poco/Net/HTTPServerSession.h>

namespace wildws::host {

class ServerSession : public Poco::Net::HTTPServerSession, public ByteSource {
public:
    using Poco::Net::HTTPServerSession::HTTPServerSession;
    int get() override {
        int c = Poco::Net::HTTPSession::get();
        return c == std::char_traits<char>::eof() ? -1 : c;
    }
    std::size_t read(char* buf, std::size_t n) override {
        int got = Poco::Net::HTTPSession::read(buf, static_cast<std::streamsize>(n));
        return got > 0 ? static_cast<std::size_t>(got) : 0;
    }
    /// Bytes of a next (pipelined) request already read from the socket.
    bool hasBuffered() const { return buffered() > 0; }

protected:
    // Poco's own read(char*, streamsize) stays as it was (protected), next to
    // ByteSource's, rather than hidden by it.
    using Poco::Net::HTTPSession::read;
};

} // namespace wildws::host
