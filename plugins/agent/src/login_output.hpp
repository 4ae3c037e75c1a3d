// What an agent CLI's sign-in prints on its terminal, turned into events for
// the page: the sign-in link (`url`) as soon as it is printed - from an OSC 8
// hyperlink or a plain https:// URL, never a localhost callback address -,
// a `prompt` when the CLI waits for a code on an unfinished line ("Paste code
// here if prompted > "), and the rest as `output` lines. Terminal escapes
// (CSI, OSC, other ESC sequences) and control characters are stripped.
// Pure: bytes in, events out, so it is tested with strings alone.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wildws::agent {

struct LoginEvent {
    std::string type; // url, prompt, output
    std::string text; // url: the link; prompt: the CLI's question; output: one line
};

class LoginOutput {
public:
    /// Some bytes from the terminal; appends the events they complete.
    void feed(std::string_view bytes, std::vector<LoginEvent>& out);
    /// The end of output: the unfinished line, if any.
    void finish(std::vector<LoginEvent>& out);

private:
    enum class State { Text, Esc, Csi, Osc, OscEsc, EscSkip };
    void endLine(std::vector<LoginEvent>& out);
    void link(const std::string& url, std::vector<LoginEvent>& out);
    void urlsIn(const std::string& text, std::vector<LoginEvent>& out);
    void maybePrompt(std::vector<LoginEvent>& out);

    State state_ = State::Text;
    std::string line_, osc_;
    std::set<std::string> seen_;
    bool prompted_ = false; // for the current unfinished line
    int skip_ = 0;
};

/// A sign-in link worth opening: https, not a loopback callback, printable.
bool signInLink(const std::string& url);

} // namespace wildws::agent
