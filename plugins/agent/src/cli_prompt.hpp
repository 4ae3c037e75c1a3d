// `wildws agent run` answering a live agent's prompts.
//
// On a terminal (stdin is a tty) it asks, on stderr:
//   Allow Bash: npm test? [y]es, [a]lways, [n]o
// (a question lists its options, answered by number or text). Without a
// terminal nobody can answer: a tool named in --allow is allowed once, any
// other is denied, and one line on stderr says so and how to allow it.
#pragma once

#include <wildws/command.hpp>
#include <wildws/services/agent.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

/// "Bash, Edit" -> {"Bash", "Edit"}.
std::vector<std::string> splitList(const std::string& text);

/// What a permission is about, in one line: Bash's command, a file's path,
/// else the input JSON (shortened).
std::string promptSubject(const Chunk& permission);

class CliPrompter {
public:
    CliPrompter(Invocation& inv, std::vector<std::string> allowed, int inputFd = 0);
    /// The decision for a `permission` or `question` chunk; nullopt when the
    /// owner pressed Ctrl-C while being asked.
    std::optional<AgentDecision> decide(const Chunk& prompt);

private:
    std::optional<std::string> readLine();
    Invocation& inv_;
    std::vector<std::string> allowed_;
    int fd_;
    bool tty_;
};

} // namespace wildws::agent
