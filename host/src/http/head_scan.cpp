#include "http/head_scan.hpp"

namespace wildws::host {

HeadState scanHead(std::string_view bytes, std::size_t cap) {
    std::size_t start = 0;
    while (start < bytes.size() && (bytes[start] == '\r' || bytes[start] == '\n')) ++start;
    // The head ends at a line that is empty: "\n\n" or "\n\r\n" (Poco's
    // reader, like most, accepts a bare LF as a line end).
    for (std::size_t i = start; i < bytes.size(); ++i) {
        if (i - start >= cap) return HeadState::TooLarge;
        if (bytes[i] != '\n') continue;
        if (i + 1 < bytes.size() && bytes[i + 1] == '\n') return HeadState::Complete;
        if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return HeadState::Complete;
    }
    return bytes.size() - start > cap ? HeadState::TooLarge : HeadState::Incomplete;
}

} // namespace wildws::host
