// One connection to the broker, shared by the daemon's control thread and
// the workers answering requests on it. Workers keep a shared_ptr, so the
// connection object outlives every publish even after the daemon closed it
// (a publish on a closed connection just fails).
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace wildws::relay {

class Link {
public:
    Link() = default;
    ~Link();
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    natsConnection* nc = nullptr;
    jsCtx* js = nullptr;
    std::vector<natsSubscription*> subs;

    /// Connected now (not reconnecting, not closed).
    bool connected() const;
    /// Closes the connection (idempotent). Never from a nats callback thread.
    void close(const std::string& why);
    /// Why it was closed ("" while open).
    std::string closedWhy() const;
    bool closing() const { return closing_.load(); }

    /// Publishes `data` to `subject` with headers (name, value pairs).
    natsStatus publish(const std::string& subject, const std::string& data,
                       const std::vector<std::pair<std::string, std::string>>& headers);
    std::int64_t maxPayload() const;

private:
    std::atomic<bool> closing_{false};
    mutable std::mutex m_;
    std::string why_;
};

} // namespace wildws::relay
