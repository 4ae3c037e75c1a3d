#include <wildws/common/json.hpp>

#include <wildws/common/clock.hpp>

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <limits>
#include <set>
#include <sstream>
#include <vector>

namespace wildws::common::json {
namespace {

// Poco's handler with one addition: remembers a key repeated in one object.
class DuplicateAwareHandler : public Poco::JSON::ParseHandler {
public:
    explicit DuplicateAwareHandler(bool keepOrder) : Poco::JSON::ParseHandler(keepOrder) {}
    void reset() override {
        Poco::JSON::ParseHandler::reset();
        keys_.clear();
        duplicate_.clear();
    }
    void startObject() override {
        Poco::JSON::ParseHandler::startObject();
        keys_.emplace_back();
    }
    void endObject() override {
        Poco::JSON::ParseHandler::endObject();
        if (!keys_.empty()) keys_.pop_back();
    }
    void key(const std::string& k) override {
        Poco::JSON::ParseHandler::key(k);
        if (!keys_.empty() && !keys_.back().insert(k).second && duplicate_.empty()) duplicate_ = k;
    }
    const std::string& duplicate() const { return duplicate_; }

private:
    std::vector<std::set<std::string>> keys_;
    std::string duplicate_;
};

Poco::Dynamic::Var member(const Object& o, const std::string& key) {
    if (!o || !o->has(key)) return {};
    return o->get(key);
}

} // namespace

Parsed parse(std::string_view text, const ParseOptions& options) {
    Parsed out;
    Poco::SharedPtr<DuplicateAwareHandler> handler(new DuplicateAwareHandler(options.keepKeyOrder));
    Poco::JSON::Parser parser(handler);
    if (options.maxDepth >= 0) parser.setDepth(static_cast<std::size_t>(options.maxDepth));
    Poco::Dynamic::Var result;
    try {
        result = parser.parse(std::string(text));
    } catch (const std::exception&) {
        out.error = "not valid JSON";
        return out;
    }
    if (options.rejectDuplicateKeys && !handler->duplicate().empty()) {
        out.error = "key '" + handler->duplicate() + "' appears twice";
        return out;
    }
    if (result.type() != typeid(Poco::JSON::Object::Ptr)) {
        out.error = "not a JSON object";
        return out;
    }
    out.object = result.extract<Poco::JSON::Object::Ptr>();
    if (!out.object) out.error = "not a JSON object";
    return out;
}

Object parseObject(std::string_view text, const ParseOptions& options) { return parse(text, options).object; }

bool looksLikeObject(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    return i < text.size() && text[i] == '{';
}

Object object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }
Array array() { return new Poco::JSON::Array(); }

std::string toText(const Object& o) {
    if (!o) return "null";
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

std::string toText(const Array& a) {
    if (!a) return "null";
    std::ostringstream out;
    a->stringify(out);
    return out.str();
}

std::string toText(const Poco::Dynamic::Var& value) {
    if (value.isEmpty()) return "null";
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
    return out.str();
}

std::optional<std::string> getString(const Object& o, const std::string& key) {
    auto v = member(o, key);
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
}

std::optional<std::int64_t> getInt(const Object& o, const std::string& key) {
    auto v = member(o, key);
    // Poco calls a bool an integer: rule it out first.
    if (v.isEmpty() || v.isString() || v.isBoolean() || !v.isInteger()) return std::nullopt;
    try {
        if (!v.isSigned()) {
            auto u = v.convert<Poco::UInt64>();
            if (u > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
            return static_cast<std::int64_t>(u);
        }
        return v.convert<Poco::Int64>();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<double> getNumber(const Object& o, const std::string& key) {
    auto v = member(o, key);
    if (v.isEmpty() || v.isString() || v.isBoolean() || !v.isNumeric()) return std::nullopt;
    try {
        return v.convert<double>();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<bool> getBool(const Object& o, const std::string& key) {
    auto v = member(o, key);
    if (!v.isBoolean()) return std::nullopt;
    return v.extract<bool>();
}

Object getObject(const Object& o, const std::string& key) {
    auto v = member(o, key);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return v.extract<Poco::JSON::Object::Ptr>();
}

Array getArray(const Object& o, const std::string& key) {
    auto v = member(o, key);
    if (v.type() != typeid(Poco::JSON::Array::Ptr)) return nullptr;
    return v.extract<Poco::JSON::Array::Ptr>();
}

bool isNull(const Object& o, const std::string& key) { return !o || o->isNull(key); }

std::string memberText(const Object& o, const std::string& key) {
    if (!o || !o->has(key)) return "";
    std::ostringstream out;
    try {
        Poco::JSON::Stringifier::condense(o->get(key), out);
    } catch (const std::exception&) {
        return "?";
    }
    return out.str();
}

Poco::Dynamic::Var timeOrNull(std::int64_t ms) {
    if (ms <= 0) return Poco::Dynamic::Var();
    std::string text = common::isoUtc(ms);
    if (text == "?") return Poco::Dynamic::Var(); // beyond what a date can say
    return text;
}

void setTimeOrNull(Object o, const std::string& key, std::int64_t ms) { o->set(key, timeOrNull(ms)); }

void setTimeOrNull(Poco::JSON::Object& o, const std::string& key, std::int64_t ms) { o.set(key, timeOrNull(ms)); }

} // namespace wildws::common::json
