// relay-bench: latency of one support action through the relay (NATS) and
// over the daemon's HTTP route, in one process so that neither pays for
// process start-up. Prints one latency in ms per line.
//   relay-bench nats URL INSTALL TOKEN N        diagnostics through the relay
//   relay-bench http PORT TOKEN N               diagnostics over HTTP (keep-alive)
//   relay-bench shell-first URL INSTALL TOKEN N first stdout line of `echo hi` through the relay
#include "wire.hpp"

#include <wildws/secure.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <nats/nats.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string header(natsMsg* m, const char* k) {
    const char* v = nullptr;
    return natsMsgHeader_Get(m, k, &v) == NATS_OK && v ? v : "";
}

int viaNats(const std::string& url, const std::string& install, const std::string& token, int n, bool shell) {
    natsConnection* nc = nullptr;
    if (natsConnection_ConnectTo(&nc, url.c_str()) != NATS_OK) return std::cerr << "cannot connect\n", 1;
    const std::string subject = "wildws." + install + (shell ? ".action.shell" : ".action.diagnostics");
    const std::string body = shell ? R"({"args":{"command":"echo hi"}})" : R"({"args":{}})";
    for (int i = 0; i < n; ++i) {
        const std::string inbox = "_INBOX.bench." + wildws::randomToken(9);
        natsSubscription* sub = nullptr;
        natsConnection_SubscribeSync(&sub, nc, inbox.c_str());
        natsConnection_Flush(nc);
        natsMsg* req = nullptr;
        natsMsg_Create(&req, subject.c_str(), inbox.c_str(), body.data(), static_cast<int>(body.size()));
        natsMsgHeader_Set(req, wildws::relay::wire::kAuthorization, ("Bearer " + token).c_str());
        const std::string sid = wildws::randomToken(16);
        natsMsgHeader_Set(req, wildws::relay::wire::kStream, sid.c_str());
        auto t0 = Clock::now();
        natsConnection_PublishMsg(nc, req);
        natsMsg_Destroy(req);
        bool got = false, done = false;
        while (!done) {
            natsMsg* m = nullptr;
            if (natsSubscription_NextMsg(&m, sub, 10000) != NATS_OK) {
                std::cerr << "timeout\n";
                break;
            }
            const std::string kind = header(m, wildws::relay::wire::kKind);
            std::string data(natsMsg_GetData(m) ? natsMsg_GetData(m) : "", static_cast<std::size_t>(natsMsg_GetDataLength(m)));
            if (!got && ((!shell && kind == wildws::relay::wire::kJson) ||
                         (shell && kind == wildws::relay::wire::kLine && data.find("\"stdout\"") != std::string::npos))) {
                std::cout << ms(Clock::now() - t0) << "\n";
                got = true;
            }
            if (kind == wildws::relay::wire::kDone || (!shell && kind == wildws::relay::wire::kJson)) done = true;
            natsMsg_Destroy(m);
        }
        natsSubscription_Destroy(sub);
    }
    natsConnection_Destroy(nc);
    return 0;
}

int viaHttp(int port, const std::string& token, int n) {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
    s.setKeepAlive(true);
    const std::string body = R"({"args":{}})";
    for (int i = 0; i < n; ++i) {
        Poco::Net::HTTPRequest rq(Poco::Net::HTTPRequest::HTTP_POST, "/api/support/actions/diagnostics",
                                  Poco::Net::HTTPMessage::HTTP_1_1);
        rq.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
        rq.set("Authorization", "Bearer " + token);
        rq.setContentType("application/json");
        rq.setContentLength(static_cast<std::streamsize>(body.size()));
        rq.setKeepAlive(true);
        auto t0 = Clock::now();
        s.sendRequest(rq) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = s.receiveResponse(res);
        std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::cout << ms(Clock::now() - t0) << "\n";
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    nats_Open(-1);
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "nats" && argc == 6) return viaNats(argv[2], argv[3], argv[4], std::stoi(argv[5]), false);
    if (mode == "shell-first" && argc == 6) return viaNats(argv[2], argv[3], argv[4], std::stoi(argv[5]), true);
    if (mode == "http" && argc == 5) return viaHttp(std::stoi(argv[2]), argv[3], std::stoi(argv[4]));
    std::cerr << "usage: relay-bench nats URL INSTALL TOKEN N | http PORT TOKEN N | shell-first URL INSTALL TOKEN N\n";
    return 2;
}
