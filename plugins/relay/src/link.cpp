#include "link.hpp"

namespace wildws::relay {

Link::~Link() {
    close("shutting down");
    for (auto* s : subs) natsSubscription_Destroy(s);
    if (js) jsCtx_Destroy(js);
    if (nc) natsConnection_Destroy(nc);
}

bool Link::connected() const {
    return nc && !closing_ && natsConnection_Status(nc) == NATS_CONN_STATUS_CONNECTED;
}

void Link::close(const std::string& why) {
    {
        std::lock_guard<std::mutex> lock(m_);
        if (closing_.exchange(true)) return;
        why_ = why;
    }
    if (nc) natsConnection_Close(nc);
}

std::string Link::closedWhy() const {
    std::lock_guard<std::mutex> lock(m_);
    return why_;
}

natsStatus Link::publish(const std::string& subject, const std::string& data,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
    if (!nc) return NATS_CONNECTION_CLOSED;
    natsMsg* msg = nullptr;
    natsStatus s = natsMsg_Create(&msg, subject.c_str(), nullptr, data.data(), static_cast<int>(data.size()));
    for (auto& [k, v] : headers)
        if (s == NATS_OK) s = natsMsgHeader_Set(msg, k.c_str(), v.c_str());
    if (s == NATS_OK) s = natsConnection_PublishMsg(nc, msg);
    natsMsg_Destroy(msg);
    return s;
}

std::int64_t Link::maxPayload() const {
    auto n = nc ? natsConnection_GetMaxPayload(nc) : 0;
    return n > 0 ? n : 1024 * 1024;
}

} // namespace wildws::relay
