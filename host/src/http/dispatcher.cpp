#include "http/dispatcher.hpp"

#include "http/exchange.hpp"
#include "http/owner_session.hpp"
#include "http/static_files.hpp"
#include "plugins/plugin_host.hpp"
#include "services/secrets_file.hpp"

#include <wildws/secure.hpp>
#include <wildws/services/consent.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/URI.h>
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

bool stateChanging(Method m) { return m != Method::Get; }

std::optional<std::string> bearerToken(const HttpRequest& rq) {
    auto auth = rq.header("Authorization");
    if (!auth || auth->size() < 7) return std::nullopt;
    std::string scheme = auth->substr(0, 7);
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return std::nullopt;
    std::string token = auth->substr(7);
    while (!token.empty() && token.front() == ' ') token.erase(0, 1);
    return token;
}

// Reads the body without ever going past the cap: a declared length over it
// is refused unread; a chunked (or unframed) body is counted as it comes.
std::optional<Refusal> readBody(Poco::Net::HTTPServerRequest& rq, std::size_t cap, std::string& body) {
    const std::string tooLarge = "request body is larger than " + std::to_string(cap) +
                                 " bytes - send less, or raise max_body_bytes in wildws.ini";
    if (rq.hasContentLength() && rq.getContentLength64() > static_cast<Poco::Int64>(cap))
        return Refusal{413, "body-too-large", tooLarge};
    // RFC 9112 6.3: a request with neither Content-Length nor chunked framing
    // has no body. Poco would read until the peer closes; don't wait for it.
    if (!rq.hasContentLength() && !rq.getChunkedTransferEncoding()) return std::nullopt;
    std::istream& in = rq.stream();
    char buf[16384];
    while (in) {
        in.read(buf, sizeof buf);
        auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        if (body.size() + n > cap) return Refusal{413, "body-too-large", tooLarge};
        body.append(buf, n);
    }
    return std::nullopt;
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

void Dispatcher::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    InFlight inFlight(core_.inFlight);
    auto started = std::chrono::steady_clock::now();
    auto* socket = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)
                       ? &static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket()
                       : nullptr;
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cache-Control", "no-store");

    Poco::URI uri;
    std::map<std::string, std::string> query;
    std::string path = "/";
    try {
        uri = Poco::URI(request.getURI());
        path = uri.getPath().empty() ? "/" : uri.getPath();
        for (auto& [k, v] : uri.getQueryParameters()) query.emplace(k, v);
    } catch (const std::exception&) {
        path = request.getURI();
    }
    HeaderView headers;
    for (auto& [k, v] : request) headers.headers.emplace_back(k, v);
    std::string peer = request.clientAddress().toString();
    auto method = Router::parseMethod(request.getMethod());
    bool genuine = isLoopbackPeer(peer) && !forwardingHeader(headers);
    HttpRequest rq(method.value_or(Method::Get), path, std::move(query), headers, peer, genuine);
    HttpResponse res(response, socket, core_.stopping);
    std::string owner = "-";

    auto finish = [&](const std::optional<Refusal>& refusal) {
        if (refusal) {
            if (refusal->status == 413) response.setKeepAlive(false);
            res.error(refusal->status, refusal->code, refusal->message);
        }
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        core_.accessLog->info("{} {} {} {}B {:.1f}ms {} {}", request.getMethod(), path, res.status(), res.bytes(), ms,
                              peer, owner);
    };

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

    auto match = core_.router->match(*method, path);
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
    // this machine's own daemon, before the body is even read.
    if (route.spec.gate == Gate::SupportChannel && !rq.genuineLoopback())
        return finish(Refusal{404, "not_found", "no route for " + path});

    std::string body;
    if (auto r = readBody(request, core_.listen.limits.maxBodyBytes, body)) return finish(r);
    rq.setBody(std::move(body));
    if (auto r = checkJson(rq)) return finish(r);

    Caller caller;
    try {
        switch (route.spec.gate) {
        case Gate::Public:
            break;
        case Gate::Owner: {
            const auto& secrets = core_.secrets->values();
            if (auto token = bearerToken(rq); token && constantTimeEquals(*token, secrets.partnerToken)) {
                caller = {CallerKind::Owner, "bearer"};
            } else if (auto cookie = cookieValue(rq.header("Cookie").value_or(""), kSessionCookie);
                       !cookie.empty() && verifySessionCookie(cookie, secrets.shareSecret, nowMs())) {
                caller = {CallerKind::Owner, "cookie"};
                if (stateChanging(*method)) {
                    // A cookie rides along on cross-site requests; a bearer token cannot.
                    if (!rq.header("Origin"))
                        return finish(Refusal{403, "csrf", "a state-changing request with a session cookie needs an "
                                                           "Origin header from this server"});
                    if (mediaType(rq.header("Content-Type").value_or("")) != "application/json")
                        return finish(Refusal{415, "json-required",
                                              "send the body as Content-Type: application/json"});
                }
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
            auto token = bearerToken(rq);
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

    struct StreamSlot {
        std::atomic<int>* n = nullptr;
        ~StreamSlot() {
            if (n) --*n;
        }
    } slot;
    if (route.spec.streams) {
        if (++core_.openStreams > core_.listen.limits.maxStreams) {
            --core_.openStreams;
            return finish(Refusal{429, "too-many-streams",
                                  "too many open streams (" + std::to_string(core_.listen.limits.maxStreams) +
                                      ") - close one, or raise max_streams in wildws.ini"});
        }
        slot.n = &core_.openStreams;
    }

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
