// supervisor-request.json: `wildws always-on start` talking to a supervisor
// that is already running. "start again" means: retry every child that is
// fatal (the crash-loop count starts over) and, with --clear-safe-mode,
// restart the children that run in safe mode so the plugin loads again.
// The supervisor acknowledges by writing the nonce into its status file.
#pragma once

#include <optional>
#include <string>

namespace wildws::supervisor {

struct ControlRequest {
    std::string nonce;
    bool retryFatal = true;
    bool clearSafeMode = false;
};

std::string controlRequestJson(const ControlRequest& request);
std::optional<ControlRequest> parseControlRequest(const std::string& text);

} // namespace wildws::supervisor
