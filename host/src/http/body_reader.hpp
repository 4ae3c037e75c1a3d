// Reads a request body exactly as framed, never past its end (the bytes
// after it are the next request) and never past the cap. The chunked
// decoder is strict: a chunk-size line that is not hex, a missing CRLF, or a
// size past the cap is an error, never a silently shortened body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace wildws::host {

/// Where body bytes come from (the HTTP session, or a string in tests).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    /// The next byte, or -1 at the end of input.
    virtual int get() = 0;
    /// Up to `n` bytes into `buf`; 0 at the end of input.
    virtual std::size_t read(char* buf, std::size_t n) = 0;
};

enum class BodyStatus { Ok, TooLarge, Malformed, Truncated };

/// A body of exactly `length` bytes (`length` already checked against cap).
BodyStatus readFixedBody(ByteSource& in, std::uint64_t length, std::string& out);
/// A chunked body (RFC 9112 7.1), trailers read and ignored.
BodyStatus readChunkedBody(ByteSource& in, std::size_t cap, std::string& out);

} // namespace wildws::host
