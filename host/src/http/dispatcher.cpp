#include "http/dispatcher.hpp"

#include "http/active_connections.hpp"
#include "http/exchange.hpp"
#include "http/framing.hpp"
#include "http/request_target.hpp"
#include "http/server_session.hpp"
#include "http/owner_session.hpp"
#include "http/static_files.hpp"
#include "plugins/plugin_host.hpp"
#include "services/secrets_file.hpp"

#include <wildws/secure.hpp>
#include <wildws/services/consent.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <sstream>

namespace wildws::host {
namespace {

struct Refusal {
    int status;
    std::string code;
    std::string message;
};

struct InFlight {
    explicit InFlight(std::atomic<int>& n) : n_(n) { ++n_; }
    ~InFlight() { --n_; }
    std::atomic<int>& n_;
};

std::string streamErrorLine(const std::string& message) {
    Poco::JSON::Object o;
    o.set("type", "error");
    o.set("message", message);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::optional<Refusal> checkJson(const HttpRequest& rq) {
    if (rq.body().empty()) return std::nullopt;
    auto type = rq.header("Content-Type");
    if (!type || mediaType(*type) != "application/json") return std::nullopt;
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(64);
        parser.parse(rq.body());
    } catch (const std::exception& e) {
        std::string what = e.what();
        if (auto* pe = dynamic_cast<const Poco::Exception*>(&e)) what = pe->displayText();
        return Refusal{400, "bad-json", "request body is not valid JSON (" + what + ")"};
    }
    return std::nullopt;
}

} // namespace

void Dispatcher::handle(Poco::Net::HTTPServerRequestImpl& request, Poco::Net::HTTPServerResponse& response,
                        ServerSession& session, int connectionFd) {
    InFlight inFlight(core_.inFlight);
    auto started = std::chrono::steady_clock::now();
    Poco::Net::StreamSocket* socket = &request.socket();
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cache-Control", "no-store");

    HeaderView headers;
    for (auto& [k, v] : request) headers.headers.emplace_back(k, v);
    std::string peer = request.clientAddress().toString();
    auto method = Router::parseMethod(request.getMethod());
    bool genuine = isLoopbackPeer(peer) && !forwardingHeader(headers);
    Framing framing = checkFraming(request.getURI(), headers, core_.port, core_.listen.hostNames);
    std::optional<RequestTarget> target;
    if (!framing.error) target = parseTarget(framing.target);
    std::string path = target ? target->path : request.getURI();
    HttpRequest rq(method.value_or(Method::Get), path, target ? target->query : std::map<std::string, std::string>{},
                   headers, peer, genuine);
    HttpResponse res(response, socket, core_.stopping);
    std::string owner = "-";
    bool bodyRead = framing.body == BodyFraming::None || (framing.body == BodyFraming::Length && framing.length == 0);

    auto finish = [&](const std::optional<Refusal>& refusal) {
        // Body bytes left unread would be taken for the next request.
        if (!bodyRead || framing.error) response.setKeepAlive(false);
        if (refusal) res.error(refusal->status, refusal->code, refusal->message);
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        core_.accessLog->info("{} {} {} {}B {:.1f}ms {} {}", request.getMethod(), path, res.status(), res.bytes(), ms,
                              peer, owner);
    };

    if (framing.error) return finish(Refusal{400, "bad-request", *framing.error});
    if (!target)
        return finish(Refusal{400, "bad-escape",
                              "the request path has a malformed percent-escape - write '%' as %25"});
    if (!hostAllowed(rq.header("Host"), core_.port, core_.listen.hostNames))
        return finish(Refusal{403, "forbidden-host",
                              "Host header '" + rq.header("Host").value_or("") + "' is not this server - open http://127.0.0.1:" +
                                  std::to_string(core_.port) + " instead"});
    if (auto origin = rq.header("Origin"); origin && !loopbackOrigin(*origin, core_.port))
        return finish(Refusal{403, "cross-origin", "requests from origin '" + *origin + "' are not allowed"});
    if (auto site = rq.header("Sec-Fetch-Site"); site && (*site == "cross-site" || *site == "same-site"))
        return finish(Refusal{403, "cross-origin", "cross-site requests are not allowed"});
    if (!method)
        return finish(Refusal{405, "method-not-allowed", "method " + request.getMethod() + " is not supported"});

    auto match = core_.router->match(*method, target->segments);
    if (!match && core_.web && *method == Method::Get) {
        if (auto file = core_.web->lookup(path)) {
            owner = "web";
            response.set("Content-Security-Policy", StaticFiles::contentSecurityPolicy());
            response.set("X-Frame-Options", "DENY");
            response.set("Cache-Control", "no-cache");
            res.send(200, file->contentType, file->body);
            return finish(std::nullopt);
        }
    }
    if (!match) return finish(Refusal{404, "not_found", "no route for " + path});
    if (!match->route) {
        std::string allow;
        for (auto& m : match->allowed) allow += (allow.empty() ? "" : ", ") + m;
        response.set("Allow", allow);
        return finish(Refusal{405, "method-not-allowed", request.getMethod() + " is not allowed on " + path +
                                                             " (allowed: " + allow + ")"});
    }
    const RouteEntry& route = *match->route;
    owner = route.owner;
    rq.setParams(std::move(match->params));

    // The support channel must look like "not here" to anything that is not
    // this machine's own daemon.
    if (route.spec.gate == Gate::SupportChannel && !rq.genuineLoopback())
        return finish(Refusal{404, "not_found", "no route for " + path});

    // Authenticate from the head alone: nobody without credentials makes the
    // server read (or parse) a body.
    Caller caller;
    try {
        switch (route.spec.gate) {
        case Gate::Public:
            break;
        case Gate::Owner: {
            const auto& secrets = core_.secrets->values();
            auto token = bearerToken(rq.header("Authorization"));
            if (token && constantTimeEquals(*token, secrets.partnerToken)) {
                caller = {CallerKind::Owner, "bearer"};
            } else if (token && core_.sessions && core_.sessions->valid(*token)) {
                caller = {CallerKind::Owner, "session"};
            } else {
                return finish(Refusal{401, "unauthorized",
                                      "missing or wrong credentials - send Authorization: Bearer <partnerToken from "
                                      "secrets.json>, or run 'wildws open' to log in"});
            }
            break;
        }
        case Gate::SupportChannel: {
            auto given = rq.header("x-support-secret").value_or("");
            if (!constantTimeEquals(given, core_.secrets->values().supportChannelSecret))
                return finish(Refusal{403, "forbidden", "forbidden"});
            caller = {CallerKind::SupportChannel, "support-secret"};
            break;
        }
        case Gate::Operator: {
            auto consent = core_.plugins->registry().find<Consent>();
            auto consentOwner = core_.plugins->registry().serviceOwner(Consent::kServiceId, "");
            auto token = bearerToken(rq.header("Authorization"));
            bool ok = false;
            if (consent && token && core_.plugins->table().isLoaded(consentOwner))
                core_.plugins->call(consentOwner, "operator check",
                                    [&] { ok = consent->operatorTokenMatches(*token); });
            if (!ok)
                return finish(Refusal{401, "operator-required",
                                      "an operator token is required: the owner runs 'wildws operator enable' and "
                                      "shares the token"});
            caller = {CallerKind::Operator, "operator-token"};
            break;
        }
        }
    } catch (const SecretsError& e) {
        return finish(Refusal{503, "secrets-unavailable", e.what()});
    }
    rq.setCaller(caller);

    if (route.owner != kHostOwner && !core_.plugins->table().isLoaded(route.owner))
        return finish(Refusal{503, "plugin-failed", "plugin '" + route.owner +
                                                        "' is off after an earlier failure - see /api/plugins"});

    // The page's event feeds and the agents' streams have separate caps, so
    // tabs left open never lock the chat out.
    struct StreamSlot {
        std::atomic<int>* n = nullptr;
        ~StreamSlot() {
            if (n) --*n;
        }
    } slot;
    if (route.spec.streams) {
        bool events = route.owner == kHostOwner;
        auto& open = events ? core_.openEventStreams : core_.openStreams;
        int cap = events ? core_.listen.limits.maxEventStreams : core_.listen.limits.maxStreams;
        if (++open > cap) {
            --open;
            return finish(events ? Refusal{429, "too-many-event-streams",
                                           "too many open event streams (" + std::to_string(cap) +
                                               ") - close a tab, or raise max_event_streams in wildws.ini"}
                                 : Refusal{429, "too-many-streams",
                                           "too many open streams (" + std::to_string(cap) +
                                               ") - close one, or raise max_streams in wildws.ini"});
        }
        slot.n = &open;
    }

    // The body, exactly as framed, never past the cap, and all of it within
    // timeout_seconds (a client that trickles it is cut off).
    if (!bodyRead) {
        const auto cap = core_.listen.limits.maxBodyBytes;
        const std::string tooLarge = "request body is larger than " + std::to_string(cap) +
                                     " bytes - send less, or raise max_body_bytes in wildws.ini";
        if (framing.body == BodyFraming::Length && framing.length > cap)
            return finish(Refusal{413, "body-too-large", tooLarge});
        if (request.getExpectContinue()) response.sendContinue();
        int fd = connectionFd;
        active_.arm(fd, std::chrono::steady_clock::now() + std::chrono::seconds(core_.listen.limits.timeoutSeconds));
        std::string body;
        BodyStatus status = BodyStatus::Truncated;
        try {
            status = framing.body == BodyFraming::Length ? readFixedBody(session, framing.length, body)
                                                         : readChunkedBody(session, cap, body);
        } catch (const Poco::Exception&) {
            status = BodyStatus::Truncated; // a receive timeout or a reset
        }
        bool late = active_.fired(fd);
        active_.disarm(fd);
        if (status == BodyStatus::Ok) bodyRead = true;
        if (late)
            return finish(Refusal{408, "request-timeout", "the request body did not arrive within " +
                                                              std::to_string(core_.listen.limits.timeoutSeconds) +
                                                              " s"});
        if (status == BodyStatus::TooLarge) return finish(Refusal{413, "body-too-large", tooLarge});
        if (status == BodyStatus::Malformed)
            return finish(Refusal{400, "bad-request", "malformed chunked body"});
        if (status == BodyStatus::Truncated)
            return finish(Refusal{400, "bad-request", "the request body ended before its declared length"});
        rq.setBody(std::move(body));
    }
    if (auto r = checkJson(rq)) return finish(r);

    auto err = core_.plugins->call(route.owner, methodName(route.spec.method) + " " + route.spec.path,
                                   [&] { route.spec.handler(rq, res); });
    if (err) {
        if (res.streaming()) res.stream().writeLine(streamErrorLine("the handler failed: " + *err));
        else if (!res.sent()) return finish(Refusal{500, "plugin-error", "the handler failed: " + *err});
    } else if (!res.sent()) {
        return finish(Refusal{500, "no-response", "the handler of " + route.spec.path + " sent no response"});
    }
    finish(std::nullopt);
}

} // namespace wildws::host
