// `wildws agent run` without --json: chunks as a person reads them. The
// agent's words go to stdout; diagnostics (stderr chunks, errors, the
// session line) go to stderr, so `wildws agent run "..." > answer.txt` works.
#pragma once

#include <wildws/services/agent.hpp>

#include <ostream>

namespace wildws::agent {

class TerminalRender {
public:
    TerminalRender(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}
    void chunk(const Chunk& c);

private:
    std::ostream& out_;
    std::ostream& err_;
};

} // namespace wildws::agent
