// wildws SDK - HTTP types for plugin routes. No Poco needed.
//
// The host parses the request, applies the security checks (Host allowlist,
// CSRF, body cap) and the route's Gate BEFORE the handler runs, so a handler
// only ever sees callers its gate admits.
//
// LIFETIME: a Request& and a Response& are valid only until the handler
// returns. Do not keep them, or anything they return by reference, after
// that. A handler runs on one of the host's HTTP worker threads; it may block
// (a streaming handler usually does) but should stop promptly once
// Stream::closed() turns true or the host is shutting down.
#pragma once

#include <wildws/export.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wildws {

/// Which long-running process serves a route or runs a tick.
enum class Role {
    Cli,       // a one-shot command (`wildws support status`): serves nothing
    Workspace, // `wildws serve`: the owner's server
    Daemon,    // `wildws daemon`: the out-of-band support daemon
};

enum class Method { Get, Post, Put, Patch, Delete };

/// Who may call a route. The host enforces it before the handler runs.
enum class Gate {
    /// The owner: `Authorization: Bearer <partnerToken>` or the signed session
    /// cookie. Else 401 `unauthorized`. Combine with a Permission.
    Owner,
    /// The local support daemon: genuine loopback (else 404 `not_found`) and
    /// `x-support-secret` equal to supportChannelSecret (else 403 `forbidden`).
    SupportChannel,
    /// The support engineer: `Authorization: Bearer <operator token>`, checked
    /// through the Consent service. Else 401 `operator-required`. With no
    /// Consent service loaded every Operator route is denied (fail closed).
    Operator,
    /// Anyone who passes the Host-header check. Only for pages and /health.
    Public,
};

/// What an owner route needs. Both bearer and cookie callers hold both today;
/// the distinction is kept so narrower credentials can come without an ABI bump.
enum class Permission { Chat, ChatWrite };

enum class CallerKind { Anonymous, Owner, Operator, SupportChannel };

struct Caller {
    CallerKind kind = CallerKind::Anonymous;
    std::string via; // "bearer", "session", "support-secret", "operator-token", ""
};

class WILDWS_EXPORT Request {
public:
    virtual ~Request();
    virtual Method method() const = 0;
    virtual const std::string& path() const = 0;                  // without the query
    /// A `:name` segment of the route pattern, e.g. param("id") for /api/chat/:id.
    virtual std::optional<std::string> param(std::string_view name) const = 0;
    virtual std::optional<std::string> query(std::string_view name) const = 0;   // decoded
    virtual std::optional<std::string> header(std::string_view name) const = 0;  // case-insensitive
    /// The whole body, already read and within the host's cap.
    virtual const std::string& body() const = 0;
    virtual std::string peerAddress() const = 0;                   // "127.0.0.1:53412"
    /// The socket peer is loopback AND no forwarding header (Forwarded,
    /// X-Forwarded-*, X-Real-IP, CF-*, True-Client-IP, X-Client-IP,
    /// X-Original-Host, Via) is present, not even empty: a local tunnel's
    /// visitors also arrive from 127.0.0.1.
    virtual bool genuineLoopback() const = 0;
    virtual const Caller& caller() const = 0;
};

/// A chunked response written one line (or one event) at a time. Each write
/// is flushed to the socket at once.
class WILDWS_EXPORT Stream {
public:
    virtual ~Stream();
    /// Writes `line` plus "\n" and flushes. False once the client is gone.
    virtual bool writeLine(std::string_view line) = 0;
    /// Writes raw text (e.g. a server-sent event) and flushes.
    virtual bool write(std::string_view text) = 0;
    /// True as soon as the client has gone away or the host is shutting down.
    /// Cheap (a non-blocking socket probe): call it whenever you wake up.
    virtual bool closed() = 0;
};

class WILDWS_EXPORT Response {
public:
    virtual ~Response();
    virtual void setHeader(const std::string& name, const std::string& value) = 0;
    /// A complete response. `json` must be a JSON document.
    virtual void json(int status, const std::string& json) = 0;
    /// The one error shape: {"error": code, "message": message}.
    virtual void error(int status, const std::string& code, const std::string& message) = 0;
    virtual void send(int status, const std::string& contentType, const std::string& body) = 0;
    /// Starts a 200 chunked stream (NDJSON by default). Routes that stream
    /// must say so (RouteSpec::streams): the host counts them against its cap
    /// of concurrent streams and answers 429 past it, before your handler.
    virtual Stream& stream(const std::string& contentType = "application/x-ndjson") = 0;
    /// True once any of the above has been called.
    virtual bool sent() const = 0;
};

using RouteHandler = std::function<void(const Request&, Response&)>;

struct RouteSpec {
    Method method = Method::Get;
    /// "/api/chat/:id": literal segments and `:name` parameters.
    std::string path;
    Role role = Role::Workspace;
    Gate gate = Gate::Owner;
    Permission permission = Permission::Chat;
    bool streams = false;
    RouteHandler handler;
};

} // namespace wildws
