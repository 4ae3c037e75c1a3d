// The daemon's half of agent-task while serve is up: POST serve's
// /api/support/agent-task over loopback with the support-channel secret, and
// pass back what serve answers - its JSON error as it is (403, 409 busy,
// 503 ...), or its NDJSON stream line by line as the lines arrive.
//
// A reader thread reads serve's response (Poco HTTPClientSession) into a
// small bounded queue; the handler thread writes what is queued (one write
// for whatever arrived together), wakes every 100 ms to see whether the
// operator has gone (then the connection to serve is shut, and serve stops
// the agent because its client went away), and re-checks the grant every
// 500 ms (serve stops the task itself; if serve has not ended the stream
// 1.5 s after the grant went away, the relay ends it). If serve's stream
// breaks without its `end` line, the relay adds an error and an end.
#pragma once

#include <wildws/http.hpp>

#include <functional>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace wildws::support {

enum class RelayResult {
    Answered,    // `res` carries serve's answer (or a 502 when the relay broke)
    Unreachable, // serve could not be connected to: nothing was sent, `res` is untouched
};

RelayResult relayAgentTask(int port, const std::string& secret, const std::string& bodyJson, Response& res,
                           const std::function<bool()>& stillAllowed, const std::shared_ptr<spdlog::logger>& log);

} // namespace wildws::support
