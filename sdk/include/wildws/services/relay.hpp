// wildws SDK service "wildws.relay/1", provided by the relay plugin in every
// process (the CLI too): this install's stable id and what the running
// daemon last said about its NATS connection. Other plugins use it to show
// the relay to the owner (`operator enable`, `support status`, the banner)
// without knowing its files. Both calls are thread-safe, cheap (one small
// file read each) and never touch the network.
#pragma once

#include <wildws/export.hpp>

#include <cstdint>
#include <string>

namespace wildws {

struct RelayState {
    bool configured = false;       // [plugin.relay] url is set
    bool connected = false;        // the running daemon is connected to the broker now
    bool daemonRunning = false;    // a daemon wrote the state and is still alive
    std::string url;               // the broker, without any credentials
    std::string installId;         // "" only when it could not be read or made
    std::int64_t reconnects = 0;
    std::string lastError;         // "" when none
    std::int64_t lastRequestAt = 0; // ms since epoch of the last relayed request (0: none)
    std::string lastAction;        // its action ("actions" for the list)
    std::string lastRequester;     // who asked, as far as the broker can tell
};

class WILDWS_EXPORT Relay {
public:
    static constexpr const char* kServiceId = "wildws.relay/1";
    virtual ~Relay();
    /// The install id (32 hex characters, 128 random bits), made on the first
    /// call and kept in <home>/relay-install-id (0600). Throws
    /// std::runtime_error with one line when the file is unsafe or unwritable.
    virtual std::string installId() = 0;
    /// What the daemon last wrote (<home>/relay-status.json), or a state with
    /// only `configured`, `url` and `installId` when no daemon runs.
    virtual RelayState state() = 0;
};

} // namespace wildws
