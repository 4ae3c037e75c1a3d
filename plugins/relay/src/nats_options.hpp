// natsOptions from BrokerSettings, for both sides: credentials read from
// their checked files, TLS when asked, the custom inbox prefix, the
// reconnect policy. The C library does the protocol, reconnects and TLS.
#pragma once

#include "settings.hpp"

#include <nats/nats.h>

#include <memory>
#include <string>

namespace wildws::relay {

struct OptionsDeleter {
    void operator()(natsOptions* o) const { natsOptions_Destroy(o); }
};
using OptionsPtr = std::unique_ptr<natsOptions, OptionsDeleter>;

struct ConnectionPolicy {
    std::string name;         // shown by the broker's monitoring
    std::string inboxPrefix;  // "" keeps _INBOX
    bool reconnectForever = false; // the daemon: unlimited, with jitter
    int connectTimeoutMs = 3000;
};

/// Throws std::runtime_error with one line (a file check, a bad seed, TLS).
OptionsPtr makeOptions(const BrokerSettings& s, const ConnectionPolicy& policy);

/// "nats: <status text>: <the library's last error>" for a failed call.
std::string natsError(natsStatus s);

/// nats.c needs one process-wide init (idempotent, thread-safe here). It
/// also pins libnats in memory: its threads must never outlive its code
/// when the host closes this plugin at exit.
void ensureNatsInit();
/// Stops nats.c's threads (waits up to 2 s), if it was started. Every
/// connection must be destroyed first. From teardown().
void shutdownNats();

} // namespace wildws::relay
