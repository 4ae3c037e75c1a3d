// Whether a complete request head (request line + header fields + the empty
// line) is in a buffer: the acceptor hands a connection to a worker only
// then, so a client that trickles its head holds no worker.
#pragma once

#include <cstddef>
#include <string_view>

namespace wildws::host {

enum class HeadState { Incomplete, Complete, TooLarge };

/// Leading empty lines are skipped (RFC 9112 2.2). A head longer than `cap`
/// bytes is TooLarge.
HeadState scanHead(std::string_view bytes, std::size_t cap);

} // namespace wildws::host
