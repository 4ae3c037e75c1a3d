#include "terminal_render.hpp"

#include <wildws/common/text.hpp>

#include <cstdio>

namespace wildws::agent {
namespace {

std::string oneLine(const std::string& s, std::size_t max) {
    std::string out;
    for (char c : common::trim(s)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return common::shortenUtf8(out, max);
}

} // namespace

void TerminalRender::chunk(const Chunk& c) {
    if (c.type == "start") {
        err_ << "[" << c.agent << " session " << c.sessionId << " - Ctrl-C stops it]\n";
    } else if (c.type == "text") {
        out_ << c.text;
        if (c.text.empty() || c.text.back() != '\n') out_ << '\n';
    } else if (c.type == "thinking") {
        out_ << "  (thinking) " << oneLine(c.text, 300) << '\n';
    } else if (c.type == "tool-use") {
        out_ << "> " << c.name << " " << oneLine(c.inputJson, 300) << '\n';
    } else if (c.type == "tool-result") {
        out_ << (c.ok ? "  ok: " : "  failed: ") << oneLine(c.summary, 300) << '\n';
    } else if (c.type == "usage") {
        std::string parts;
        char buf[64];
        if (c.costUsd >= 0) {
            std::snprintf(buf, sizeof buf, "$%.4f", c.costUsd);
            parts += buf;
        }
        if (c.tokens >= 0) parts += (parts.empty() ? "" : ", ") + std::to_string(c.tokens) + " tokens";
        if (c.durationMs >= 0) {
            std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(c.durationMs) / 1000.0);
            parts += (parts.empty() ? "" : ", ") + std::string(buf);
        }
        if (!parts.empty()) out_ << "-- " << parts << '\n';
    } else if (c.type == "error") {
        out_.flush();
        err_ << "error: " << c.message << '\n';
    } else if (c.type == "stderr") {
        out_.flush();
        err_ << c.text << '\n';
    } else if (c.type == "permission-resolved") {
        out_.flush();
        if (c.by != "cli")
            err_ << "[" << (c.decision == "allow" ? "allowed" : "denied") << " by " << c.by
                 << (c.message.empty() ? "" : ": " + c.message) << "]\n";
    } else if (c.type == "end") {
        if (c.reason != "completed") {
            out_.flush();
            err_ << "[the agent ended: " << c.reason;
            if (c.code != 0) err_ << ", code " << c.code; // a live agent's turn ends with the process still up
            err_ << "]\n";
        }
    }
}

} // namespace wildws::agent
