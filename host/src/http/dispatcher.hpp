// One request, from bytes to a plugin handler: Host allowlist, Origin,
// route match, body cap, JSON check, the route's gate, the stream cap, then
// the handler (guarded), then one access-log line. Every refusal is the one
// JSON error shape.
#pragma once

#include "http/server_core.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace wildws::host {

class Dispatcher : public Poco::Net::HTTPRequestHandler {
public:
    explicit Dispatcher(ServerCore& core) : core_(core) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServerCore& core_;
};

class DispatcherFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit DispatcherFactory(ServerCore& core) : core_(core) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Dispatcher(core_);
    }

private:
    ServerCore& core_;
};

} // namespace wildws::host
