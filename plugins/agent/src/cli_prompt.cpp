#include "cli_prompt.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>

#include <Poco/JSON/Parser.h>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace wildws::agent {
namespace {

AgentDecision make(const std::string& decision, const std::string& scope, std::string message = {}) {
    AgentDecision d;
    d.decision = decision;
    d.scope = scope;
    d.message = std::move(message);
    d.by = "cli";
    return d;
}

/// Straight to the terminal (fd 2): the host prefixes and line-buffers what
/// goes through inv.err(), and a question must show before its newline.
void say(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(2, text.data() + done, text.size() - done);
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

} // namespace

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + ",") {
        if (c == ',') {
            cur = common::trim(cur);
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

std::string promptSubject(const Chunk& c) {
    // codex's permissions request: its title says what ("network access, write /dir").
    const std::string asks = "Codex asks for more permissions: ";
    if (c.name == "permissions" && c.title.rfind(asks, 0) == 0) return common::shortenUtf8(c.title.substr(asks.size()), 300);
    auto in = json::parseObject(c.inputJson, json::ParseOptions::loose());
    for (const char* k : {"command", "file_path", "path", "url", "pattern"}) {
        std::string v = json::getString(in, k).value_or("");
        if (!v.empty()) return common::shortenUtf8(v, 300);
    }
    return common::shortenUtf8(c.inputJson, 300);
}

CliPrompter::CliPrompter(Invocation& inv, std::vector<std::string> allowed, int inputFd)
    : inv_(inv), allowed_(std::move(allowed)), fd_(inputFd), tty_(::isatty(inputFd) == 1) {}

std::optional<std::string> CliPrompter::readLine() {
    std::string line;
    for (;;) {
        if (inv_.interrupted()) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        int rc = ::poll(&p, 1, 100);
        if (rc <= 0) continue;
        char c;
        ssize_t n = ::read(fd_, &c, 1);
        if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line); // EOF
        if (c == '\n') return line;
        if (c != '\r') line += c;
    }
}

std::optional<AgentDecision> CliPrompter::decide(const Chunk& c) {
    bool question = c.type == "question";
    std::string tool = question ? "AskUserQuestion" : c.name;
    std::string subject = question ? "" : promptSubject(c);
    if (!tty_) {
        if (std::find(allowed_.begin(), allowed_.end(), tool) != allowed_.end() && !question) {
            inv_.err() << "allowed " << tool << ": " << subject << " (--allow)\n";
            return make("allow", "once");
        }
        std::string how = question ? "answer it in a terminal or on the page"
                                   : "run in a terminal to be asked, or pass --allow " + tool;
        inv_.err() << "denied " << tool << (subject.empty() ? "" : ": " + subject)
                   << " - no terminal to ask you on; " << how << "\n";
        return make("deny", "once", "The owner could not be asked (no terminal), so this was denied.");
    }
    if (!question) {
        for (;;) {
            inv_.err().flush();
            say("Allow " + tool + ": " + subject + "? [y]es, [a]lways, [n]o ");
            auto line = readLine();
            if (!line) {
                say("\n");
                return std::nullopt;
            }
            std::string a = lower(common::trim(*line));
            if (a == "y" || a == "yes") return make("allow", "once");
            if (a == "a" || a == "always") return make("allow", "session");
            if (a == "n" || a == "no") return make("deny", "once", "The owner said no.");
        }
    }
    // A question: each one with numbered options; a number picks, other text is the answer.
    Poco::JSON::Array::Ptr qs;
    try {
        Poco::JSON::Parser parser;
        qs = parser.parse(c.detailJson).extract<Poco::JSON::Array::Ptr>();
    } catch (const std::exception&) {
    }
    auto answers = json::object();
    for (std::size_t i = 0; qs && i < qs->size(); ++i) {
        auto q = qs->getObject(static_cast<unsigned>(i));
        if (!q) continue;
        std::string text = json::getString(q, "question").value_or("");
        auto opts = json::getArray(q, "options");
        std::string menu = text + "\n";
        for (std::size_t j = 0; opts && j < opts->size(); ++j) {
            auto o = opts->getObject(static_cast<unsigned>(j));
            menu += "  " + std::to_string(j + 1) + ") " + json::getString(o, "label").value_or("");
            std::string d = json::getString(o, "description").value_or("");
            if (!d.empty()) menu += " - " + d;
            menu += "\n";
        }
        inv_.err().flush();
        say(menu + "> ");
        auto line = readLine();
        if (!line) return std::nullopt;
        std::string a = common::trim(*line);
        std::size_t pick = 0;
        if (!a.empty() && std::all_of(a.begin(), a.end(), ::isdigit)) pick = std::stoul(a);
        if (opts && pick >= 1 && pick <= opts->size()) a = json::getString(opts->getObject(static_cast<unsigned>(pick - 1)), "label").value_or("");
        answers->set(text, a);
    }
    auto d = make("allow", "once");
    d.answersJson = json::toText(answers);
    return d;
}

} // namespace wildws::agent
