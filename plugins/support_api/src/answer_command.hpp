// `wildws support answer [REQUEST_ID allow|deny]`: the owner answers a
// support task's prompt from a terminal. It matters most when the task runs
// in the daemon (serve is down, so there is no page with a banner): the
// command asks every live wildws process of this home (serve's server.pid,
// then the daemon's daemon.pid) for GET /api/support/status with the owner's
// token, lists operate.pending, and answers through
// POST /api/support/operate/permissions/:requestId on the process whose task
// asked. Without arguments it lists what waits.
#pragma once

#include <wildws/command.hpp>
#include <wildws/context.hpp>

namespace wildws::support {

/// The command; `services` must outlive it (the host's registry does).
CommandSpec answerCommand(const std::string& home, Services& services);

} // namespace wildws::support
