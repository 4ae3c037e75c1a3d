// What the host knows of a response beyond the SDK's Response, without
// Poco::Net: the real one (exchange.hpp's HttpResponse) lives in the HTTP
// module, and host code outside it asks through this.
#pragma once

#include <wildws/http.hpp>

namespace wildws::host {

class HostResponse : public Response {
public:
    ~HostResponse() override;
    /// The body is an open stream (stream() was called).
    virtual bool streaming() const = 0;
};

} // namespace wildws::host
