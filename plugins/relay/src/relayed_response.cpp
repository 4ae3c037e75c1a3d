#include "relayed_response.hpp"

#include "wire.hpp"

#include <wildws/common/json.hpp>

namespace wildws::relay {
namespace {

std::int64_t steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

namespace json = wildws::common::json;

bool isEndLine(std::string_view line) {
    if (line.find("\"end\"") == std::string_view::npos) return false;
    return json::getString(json::parseObject(line), "type") == std::string("end");
}

} // namespace

StreamControl::StreamControl(std::chrono::milliseconds requesterTimeout)
    : timeout_(requesterTimeout), lastBeatMs_(steadyMs()) {}

void StreamControl::heartbeat() { lastBeatMs_ = steadyMs(); }

void StreamControl::cancel(const std::string& why) {
    std::lock_guard<std::mutex> lock(m_);
    if (!why_) why_ = why;
}

std::optional<std::string> StreamControl::cancelled() {
    if (steadyMs() - lastBeatMs_ > timeout_.count())
        cancel("the requester sent no heartbeat for " + std::to_string(timeout_.count() / 1000) + " s");
    std::lock_guard<std::mutex> lock(m_);
    return why_;
}

RelayedResponse::RelayedResponse(std::shared_ptr<Link> link, std::string reply, std::shared_ptr<StreamControl> control)
    : link_(std::move(link)), reply_(std::move(reply)), control_(std::move(control)) {}

bool RelayedResponse::publish(const char* kind, int status, std::string_view body, const std::string& contentType) {
    std::lock_guard<std::mutex> lock(publishMutex_);
    // Room for the headers: a body bigger than one message goes in parts.
    const std::size_t room = static_cast<std::size_t>(std::max<std::int64_t>(4096, link_->maxPayload() - 1024));
    const std::string partKind = std::string(kind) + "-part";
    std::string_view rest = body;
    while (rest.size() > room) {
        if (link_->publish(reply_, std::string(rest.substr(0, room)), {{wire::kKind, partKind}}) != NATS_OK)
            return false;
        rest.remove_prefix(room);
    }
    std::vector<std::pair<std::string, std::string>> headers{{wire::kKind, kind}};
    if (status) headers.push_back({wire::kStatus, std::to_string(status)});
    if (std::string(kind) == wire::kLine || std::string(kind) == wire::kDone)
        headers.push_back({wire::kSeq, std::to_string(std::string(kind) == wire::kLine ? ++seq_ : seq_)});
    if (!contentType.empty()) headers.push_back({"Content-Type", contentType});
    return link_->publish(reply_, std::string(rest), headers) == NATS_OK;
}

void RelayedResponse::setHeader(const std::string&, const std::string&) {}

void RelayedResponse::accepted(std::chrono::milliseconds heartbeatEvery) {
    std::lock_guard<std::mutex> lock(publishMutex_);
    link_->publish(reply_, "",
                   {{wire::kKind, wire::kAccepted}, {wire::kHeartbeatMs, std::to_string(heartbeatEvery.count())}});
}

void RelayedResponse::json(int status, const std::string& json) {
    if (sent_) return;
    sent_ = true;
    status_ = status;
    publish(wire::kJson, status, json);
}

void RelayedResponse::error(int status, const std::string& code, const std::string& message) {
    auto o = json::object();
    o->set("error", code);
    o->set("message", message);
    this->json(status, json::toText(o));
}

void RelayedResponse::send(int status, const std::string& contentType, const std::string& body) {
    if (sent_) return;
    sent_ = true;
    status_ = status;
    publish(wire::kJson, status, body, contentType);
}

Stream& RelayedResponse::stream(const std::string&) {
    if (!sent_) {
        sent_ = true;
        streaming_ = true;
        status_ = 200;
    }
    return *this;
}

bool RelayedResponse::writeLine(std::string_view line) {
    if (closed()) return false;
    if (isEndLine(line)) sawEnd_ = true;
    return publish(wire::kLine, 0, line);
}

bool RelayedResponse::write(std::string_view text) {
    // Streams here are NDJSON: split raw text into its lines.
    while (!text.empty()) {
        auto nl = text.find('\n');
        if (!writeLine(text.substr(0, nl))) return false;
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return true;
}

bool RelayedResponse::closed() {
    if (link_->closing()) control_->cancel(link_->closedWhy().empty() ? "the relay was turned off" : link_->closedWhy());
    else if (!link_->connected()) control_->cancel("the connection to the broker was lost");
    return control_->cancelled().has_value();
}

void RelayedResponse::finish() {
    if (!sent_) error(500, "action-failed", "the action gave no answer");
    if (!streaming_) return;
    if (!sawEnd_ && !closed()) {
        auto err = json::object(), end = json::object();
        err->set("type", "error");
        err->set("message", "the action's stream ended without an end line");
        end->set("type", "end");
        end->set("code", 1);
        end->set("reason", "action-failed");
        publish(wire::kLine, 0, json::toText(err));
        publish(wire::kLine, 0, json::toText(end));
    }
    publish(wire::kDone, 0, "");
}

} // namespace wildws::relay
