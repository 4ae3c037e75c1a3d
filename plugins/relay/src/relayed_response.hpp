// A wildws::Response whose answer goes to a NATS reply subject, so the
// support_api code that answers the HTTP route answers a relayed request
// unchanged. Wire format: wire.hpp. A stream's closed() turns true (and
// stays true) when the requester cancels or stops heartbeating, when the
// broker connection drops, or when the relay is turned off: the action then
// stops the way it stops for an HTTP client that went away.
#pragma once

#include "link.hpp"

#include <wildws/http.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace wildws::relay {

/// What the requester and the control thread tell a running stream.
class StreamControl {
public:
    explicit StreamControl(std::chrono::milliseconds requesterTimeout);
    void heartbeat();
    /// The first reason wins.
    void cancel(const std::string& why);
    /// The reason once cancelled (or the requester timed out), else nullopt.
    std::optional<std::string> cancelled();
    std::chrono::milliseconds timeout() const { return timeout_; }

private:
    const std::chrono::milliseconds timeout_;
    std::atomic<std::int64_t> lastBeatMs_;
    std::mutex m_;
    std::optional<std::string> why_;
};

class RelayedResponse : public Response, public Stream {
public:
    RelayedResponse(std::shared_ptr<Link> link, std::string reply, std::shared_ptr<StreamControl> control);

    void setHeader(const std::string& name, const std::string& value) override;
    void json(int status, const std::string& json) override;
    void error(int status, const std::string& code, const std::string& message) override;
    void send(int status, const std::string& contentType, const std::string& body) override;
    Stream& stream(const std::string& contentType) override;
    bool sent() const override { return sent_; }

    bool writeLine(std::string_view line) override;
    bool write(std::string_view text) override;
    bool closed() override;

    void accepted(std::chrono::milliseconds heartbeatEvery);
    /// Ends the answer: a stream with no `end` line gets an error and an end
    /// (the action failed or was cut), then `done`.
    void finish();
    bool streaming() const { return streaming_; }
    int status() const { return status_; }
    /// Why a stream was cut (requester gone, broker lost, relay off), if it was.
    std::optional<std::string> cutReason() { return control_->cancelled(); }

private:
    bool publish(const char* kind, int status, std::string_view body, const std::string& contentType = {});

    std::shared_ptr<Link> link_;
    const std::string reply_;
    std::shared_ptr<StreamControl> control_;
    std::mutex publishMutex_;
    bool sent_ = false;
    bool streaming_ = false;
    bool sawEnd_ = false;
    int status_ = 0;
    long seq_ = 0;
};

} // namespace wildws::relay
