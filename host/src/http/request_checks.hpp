// The checks every request passes before any handler: pure functions of the
// request's headers, so they are unit-tested exhaustively.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

struct HeaderView {
    std::vector<std::pair<std::string, std::string>> headers; // as received
    std::optional<std::string> get(const std::string& name) const; // case-insensitive, first
    bool has(const std::string& name) const;
};

/// Host header allowlist against DNS rebinding: exactly 127.0.0.1:P,
/// localhost:P, [::1]:P, or a configured name with :P. Missing/empty: no.
bool hostAllowed(const std::optional<std::string>& host, int port, const std::vector<std::string>& extraNames);

/// A header name a proxy, CDN or tunnel adds, by family (see the rules in
/// request_checks.cpp), not from a list of names: presence counts, any value.
bool isForwardingHeaderName(const std::string& name);
/// The first such header of a request.
std::optional<std::string> forwardingHeader(const HeaderView& headers);

bool isLoopbackPeer(const std::string& address); // "127.0.0.1:5000", "[::1]:5000"

/// An Origin is acceptable for state changes only when it is this server
/// seen from this machine: http://127.0.0.1:P, http://localhost:P, http://[::1]:P.
bool loopbackOrigin(const std::string& origin, int port);

/// The media type before ';', trimmed and lower-cased.
std::string mediaType(const std::string& contentType);

} // namespace wildws::host
