#include "logs_action.hpp"

#include "log_files.hpp"
#include "redactor.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

namespace wildws::support {

std::optional<std::string> validateLogsArgs(const std::string& logsDir, const std::string& argsJson) {
    auto a = json::parseObject(argsJson);
    if (!a) return std::string("args must be a JSON object");
    auto channel = json::getString(a, "channel");
    if (!channel) return std::string("channel must be a string: the name of a log, e.g. \"wildws\"");
    if (auto bad = checkChannel(logsDir, *channel)) return bad;
    if (a->has("lines")) {
        auto n = json::getInt(a, "lines");
        if (!n || *n < 1 || *n > kMaxLogLines) return std::string("lines must be a whole number from 1 to 1000");
    }
    return std::nullopt;
}

void registerLogsAction(Context& ctx, std::shared_ptr<PluginState> state) {
    SupportActionSpec spec;
    spec.name = "logs";
    spec.minTier = 1;
    spec.description = "read the tail of one wildws log (secrets redacted)";
    spec.role = Role::Daemon;
    spec.validate = [state](const std::string& argsJson) { return validateLogsArgs(state->logsDir(), argsJson); };
    spec.run = [state](const SupportActionCall& call, Response& res) {
        auto a = json::parseObject(call.argsJson);
        const std::string channel = json::getString(a, "channel").value_or("");
        const auto n = static_cast<std::size_t>(json::getInt(a, "lines").value_or(kDefaultLogLines));
        // Checked again: the file may have gone since the validator ran.
        if (auto bad = checkChannel(state->logsDir(), channel)) return res.error(400, "bad-args", *bad);
        auto tail = tailFile(state->logsDir() + "/" + channel + ".log", n);
        const Redactor redact = Redactor::fromServices(state->services, state->host.home);
        auto lines = json::array();
        for (auto& l : tail.lines) lines->add(redact.apply(common::sanitizeUtf8(l)));
        auto o = json::object();
        o->set("channel", channel);
        o->set("file", "logs/" + channel + ".log");
        o->set("lines", lines);
        o->set("truncated", tail.truncated);
        // A last pass over the whole answer: nothing secret leaves, whatever built it.
        res.json(200, redact.apply(json::toText(o)));
    };
    ctx.supportAction(std::move(spec));
}

} // namespace wildws::support
