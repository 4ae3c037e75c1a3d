// wildws SDK service "wildws.activity/1", provided by the host: a small
// in-process event bus. `GET /api/events` streams every event to the owner's
// page as server-sent events. Events do not cross processes: a plugin that
// must tell `serve` about something seen in another process watches the
// state file it shares with it.
#pragma once

#include <wildws/export.hpp>

#include <functional>
#include <string>

namespace wildws {

class WILDWS_EXPORT ActivityBus {
public:
    static constexpr const char* kServiceId = "wildws.activity/1";
    virtual ~ActivityBus();
    /// Publishes {"type": type, "at": "<ISO 8601 UTC, ms>", ...fields}. `fieldsJson`
    /// is a JSON object whose members are merged in ("{}" for none).
    virtual void publish(const std::string& type, const std::string& fieldsJson = "{}") = 0;
    /// The listener gets each event's JSON text, on the publisher's thread:
    /// return quickly. Returns an id for unsubscribe().
    virtual int subscribe(std::function<void(const std::string& eventJson)> listener) = 0;
    virtual void unsubscribe(int id) = 0;
};

} // namespace wildws
