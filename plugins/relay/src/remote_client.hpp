// The support engineer's side: one relayed request to an install, its answer
// printed as it arrives. Wire format: wire.hpp.
#pragma once

#include "settings.hpp"

#include <wildws/command.hpp>

#include <string>

namespace wildws::relay {

struct RemoteSettings {
    BrokerSettings broker;
    std::string install;            // the install id the owner handed over
    std::string operatorTokenFile;  // a 0600 file holding the operator token
    std::string inboxPrefix;        // the prefix the broker lets this user read
    std::string requester;          // who we say we are (the broker does not check it)
    int answerTimeoutSeconds = 10;  // how long to wait for the install to accept
};

/// Sends `subject` (actions / action.<name>) with `body`, prints the answer
/// to inv.out() (NDJSON as-is with `json`, else text) and returns the exit
/// code: the action's `end` code for a stream, 0 for a 2xx answer, 1 for
/// any failure (one line on inv.err()), 130 when interrupted.
int remoteRequest(const RemoteSettings& s, const std::string& action, const std::string& body, bool json,
                  Invocation& inv);

/// Reads the install's fleet audit copy back and checks its chain.
int remoteAudit(const RemoteSettings& s, bool json, Invocation& inv);

} // namespace wildws::relay
