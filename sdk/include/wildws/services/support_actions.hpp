// wildws SDK service "wildws.support-actions/1", provided by the support_api
// plugin in the daemon: the very code behind the daemon's
// `GET /api/support/actions` and `POST /api/support/actions/:name`, for a
// plugin that receives support's requests another way (the relay, over NATS).
// It validates the args, asks Consent::authorize (one audit line per
// attempt) and runs the action into `res`, exactly as the HTTP route does.
//
// The CALLER checks the operator token first, with
// Consent::operatorTokenMatches, as the host's Operator gate does for HTTP.
// `via` says how the request arrived ("" for HTTP); when set it starts the
// audit line's detail, e.g. "via relay (nats: ...)".
//
// Thread-safe; `res` is the caller's and must outlive the call (run() returns
// when the action has finished answering, a stream included).
#pragma once

#include <wildws/export.hpp>
#include <wildws/http.hpp>

#include <string>

namespace wildws {

class WILDWS_EXPORT SupportActions {
public:
    static constexpr const char* kServiceId = "wildws.support-actions/1";
    virtual ~SupportActions();
    /// The answer of GET /api/support/actions.
    virtual void list(Response& res) = 0;
    /// The answer of POST /api/support/actions/<name> with `body` as the body.
    virtual void run(const std::string& name, const std::string& body, const std::string& via, Response& res) = 0;
};

} // namespace wildws
