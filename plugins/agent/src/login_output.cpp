#include "login_output.hpp"

#include <wildws/common/text.hpp>

#include <algorithm>
#include <cctype>

namespace wildws::agent {
namespace {

constexpr std::size_t kMaxLine = 16 * 1024;
constexpr std::size_t kMaxUrl = 8 * 1024;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool urlChar(unsigned char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '`'; }

} // namespace

bool signInLink(const std::string& url) {
    if (url.size() > kMaxUrl || url.rfind("https://", 0) != 0) return false;
    for (unsigned char c : url)
        if (!urlChar(c)) return false;
    std::string host = url.substr(8, url.find_first_of("/:?#", 8) - 8);
    host = lower(host);
    return !host.empty() && host != "localhost" && host.rfind("127.", 0) != 0 && host != "[::1]";
}

void LoginOutput::link(const std::string& url, std::vector<LoginEvent>& out) {
    if (!signInLink(url) || !seen_.insert(url).second) return;
    out.push_back({"url", url});
}

void LoginOutput::urlsIn(const std::string& text, std::vector<LoginEvent>& out) {
    for (std::size_t at = text.find("https://"); at != std::string::npos; at = text.find("https://", at + 8)) {
        std::size_t end = at;
        while (end < text.size() && urlChar(static_cast<unsigned char>(text[end]))) ++end;
        std::string url = text.substr(at, end - at);
        while (!url.empty() && std::string(".,;:)]'").find(url.back()) != std::string::npos) url.pop_back();
        link(url, out);
    }
}

void LoginOutput::endLine(std::vector<LoginEvent>& out) {
    std::string text = common::sanitizeUtf8(line_);
    line_.clear();
    prompted_ = false;
    urlsIn(text, out);
    if (!common::trim(text).empty()) out.push_back({"output", text});
}

void LoginOutput::maybePrompt(std::vector<LoginEvent>& out) {
    if (prompted_) return;
    std::string text = common::trim(common::sanitizeUtf8(line_));
    if (text.empty()) return;
    std::string l = lower(text);
    bool asksCode = l.find("code") != std::string::npos &&
                    (l.find("paste") != std::string::npos || l.find("enter") != std::string::npos ||
                     l.find("type") != std::string::npos || l.back() == ':' || l.back() == '>');
    if (!asksCode) return;
    prompted_ = true;
    while (!text.empty() && (text.back() == '>' || text.back() == ':' || text.back() == ' ')) text.pop_back();
    urlsIn(text, out);
    out.push_back({"prompt", text});
}

void LoginOutput::feed(std::string_view bytes, std::vector<LoginEvent>& out) {
    for (char ch : bytes) {
        auto c = static_cast<unsigned char>(ch);
        switch (state_) {
        case State::Text:
            if (c == 0x1b) state_ = State::Esc;
            else if (c == '\n' || c == '\r') endLine(out); // \r\n gives one empty line, which is dropped
            else if (c == '\t') line_ += ' ';
            else if (c >= 0x20 && c != 0x7f && line_.size() < kMaxLine) line_ += ch;
            break;
        case State::Esc:
            if (c == '[') state_ = State::Csi;
            else if (c == ']') {
                state_ = State::Osc;
                osc_.clear();
            } else if (c == '(' || c == ')' || c == '*' || c == '+' || c == '#' || c == '%') {
                state_ = State::EscSkip; // ESC ( B and the like: one more byte
                skip_ = 1;
            } else state_ = State::Text;
            break;
        case State::EscSkip:
            if (--skip_ <= 0) state_ = State::Text;
            break;
        case State::Csi:
            if (c >= 0x40 && c <= 0x7e) state_ = State::Text;
            break;
        case State::Osc:
            if (c == 0x07) {
                state_ = State::Text;
            } else if (c == 0x1b) {
                state_ = State::OscEsc;
                break;
            } else {
                if (osc_.size() < kMaxUrl + 64) osc_ += ch;
                break;
            }
            [[fallthrough]];
        case State::OscEsc:
            if (state_ == State::OscEsc) state_ = State::Text; // ESC \ ends it
            // OSC 8 ; params ; URI - the link's target (the text follows as plain text).
            if (osc_.rfind("8;", 0) == 0) {
                auto semi = osc_.find(';', 2);
                if (semi != std::string::npos) link(osc_.substr(semi + 1), out);
            }
            osc_.clear();
            break;
        }
    }
    maybePrompt(out);
}

void LoginOutput::finish(std::vector<LoginEvent>& out) {
    if (!line_.empty()) endLine(out);
}

} // namespace wildws::agent
