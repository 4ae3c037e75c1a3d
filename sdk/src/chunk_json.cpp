#include <wildws/services/agent.hpp>

#include <Poco/UTF8String.h>

#include <cmath>
#include <sstream>

namespace wildws {
namespace {

std::string quote(const std::string& s) { return "\"" + Poco::UTF8::escape(s, true) + "\""; }

class ObjectWriter {
public:
    explicit ObjectWriter(const std::string& type) { out_ << "{\"type\":" << quote(type); }
    ObjectWriter& str(const char* key, const std::string& v) {
        out_ << ",\"" << key << "\":" << quote(v);
        return *this;
    }
    ObjectWriter& raw(const char* key, const std::string& json) {
        out_ << ",\"" << key << "\":" << (json.empty() ? "null" : json);
        return *this;
    }
    ObjectWriter& num(const char* key, double v) {
        if (v < 0 || !std::isfinite(v)) return raw(key, "null");
        std::ostringstream s;
        s.precision(10);
        s << v;
        return raw(key, s.str());
    }
    ObjectWriter& boolean(const char* key, bool v) { return raw(key, v ? "true" : "false"); }
    std::string done() { return out_.str() + "}"; }

private:
    std::ostringstream out_;
};

} // namespace

std::string toJson(const Chunk& c) {
    ObjectWriter w(c.type);
    if (c.type == "start") w.str("sessionId", c.sessionId).str("agent", c.agent);
    else if (c.type == "text" || c.type == "thinking" || c.type == "stderr") w.str("text", c.text);
    else if (c.type == "tool-use") w.str("name", c.name).raw("input", c.inputJson);
    else if (c.type == "tool-result") w.boolean("ok", c.ok).str("summary", c.summary);
    else if (c.type == "usage")
        w.num("cost", c.costUsd).num("tokens", static_cast<double>(c.tokens)).num("durationMs", static_cast<double>(c.durationMs));
    else if (c.type == "error") w.str("message", c.message);
    else if (c.type == "permission")
        w.str("requestId", c.requestId).str("tool", c.name).raw("input", c.inputJson).str("title", c.title)
            .raw("suggestions", c.detailJson);
    else if (c.type == "question") w.str("requestId", c.requestId).raw("questions", c.detailJson);
    else if (c.type == "permission-resolved")
        w.str("requestId", c.requestId).str("decision", c.decision).str("scope", c.scope).str("by", c.by)
            .str("message", c.message);
    else if (c.type == "end") w.raw("code", std::to_string(c.code)).str("reason", c.reason);
    if (!c.resumeId.empty()) w.str("resumeId", c.resumeId);
    return w.done();
}

} // namespace wildws
