#include "backends.hpp"

#include "command_parser.hpp"

#include <stdexcept>

namespace wildws::agent {

CommandBackend::CommandBackend(AgentSettings s) : s_(std::move(s)), cache_(s_.detectCache) {}

AgentDetection CommandBackend::detect() const {
    return cache_.get([this] {
        AgentDetection d;
        d.installHint = "set [plugin.agent] command = [\"/path/to/cli\", \"{prompt}\"] in wildws.ini";
        if (s_.commandArgv.empty()) {
            d.reason = "no [plugin.agent] command is configured";
            return d;
        }
        const std::string& program = s_.commandArgv[0];
        if (program.find('/') != std::string::npos) {
            if (auto why = notRunnable(program)) {
                d.reason = "[plugin.agent] command: " + program + " " + *why;
                return d;
            }
            d.path = program;
        } else if (auto found = findExecutable(program, {})) {
            d.path = *found;
        } else {
            d.reason = "[plugin.agent] command: '" + program + "' was not found in PATH";
            return d;
        }
        d.found = true;
        return d;
    });
}

AgentLaunch CommandBackend::launch(const AgentRequest& r, const AgentDetection& found) const {
    if (s_.commandArgv.empty()) throw std::runtime_error("no [plugin.agent] command is configured");
    std::string prompt = r.appendSystemPrompt.empty() ? r.prompt : r.appendSystemPrompt + "\n\n" + r.prompt;
    AgentLaunch l;
    l.argv.push_back(found.path);
    bool promptInArgv = false;
    for (std::size_t i = 1; i < s_.commandArgv.size(); ++i) {
        const std::string& a = s_.commandArgv[i];
        if (a == "{prompt}") {
            l.argv.push_back(prompt);
            promptInArgv = true;
        } else if (a == "{mode}") {
            l.argv.push_back(r.mode == AgentMode::Plan ? "plan" : "build");
        } else {
            l.argv.push_back(a);
        }
    }
    if (!promptInArgv) l.stdinText = prompt;
    return l;
}

std::unique_ptr<AgentOutputParser> CommandBackend::newParser() const { return std::make_unique<CommandParser>(); }

} // namespace wildws::agent
