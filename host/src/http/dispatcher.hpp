// One request, from its head to a plugin handler: framing, the target
// (decoded once), Host allowlist, Origin, route match, the route's gate
// (before a byte of the body is read), the stream caps, the body (framed
// exactly, capped, deadline-bound), the JSON check, then the handler
// (guarded), then one access-log line. Every refusal is the one JSON error
// shape; a refusal that leaves body bytes unread closes the connection.
#pragma once

#include "http/server_core.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace wildws::host {

class ServerSession;
class ActiveConnections;

class Dispatcher {
public:
    Dispatcher(ServerCore& core, ActiveConnections& active) : core_(core), active_(active) {}
    void handle(Poco::Net::HTTPServerRequestImpl& request, Poco::Net::HTTPServerResponse& response,
                ServerSession& session, int connectionFd);

private:
    ServerCore& core_;
    ActiveConnections& active_;
};

} // namespace wildws::host
