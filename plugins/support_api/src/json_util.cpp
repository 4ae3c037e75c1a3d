#include "json_util.hpp"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wildws::support {

JsonObject object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

JsonArray array() { return new Poco::JSON::Array(); }

std::string toText(const JsonObject& o) {
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

std::string toText(const JsonArray& a) {
    std::ostringstream out;
    a->stringify(out);
    return out.str();
}

JsonObject parseObject(std::string_view text) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        parser.setDepth(64);
        auto v = parser.parse(std::string(text));
        if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
        return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::optional<std::string> stringMember(const JsonObject& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    auto v = o->get(key);
    if (!v.isString()) return std::nullopt;
    return v.convert<std::string>();
}

std::optional<std::int64_t> integerMember(const JsonObject& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    auto v = o->get(key);
    if (v.isEmpty() || v.isString() || v.isBoolean()) return std::nullopt;
    try {
        if (v.isInteger()) {
            if (v.isSigned()) return v.convert<Poco::Int64>();
            auto u = v.convert<Poco::UInt64>();
            if (u > static_cast<Poco::UInt64>(INT64_MAX)) return std::nullopt;
            return static_cast<std::int64_t>(u);
        }
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::optional<bool> boolMember(const JsonObject& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    auto v = o->get(key);
    if (!v.isBoolean()) return std::nullopt;
    return v.convert<bool>();
}

JsonObject objectMember(const JsonObject& o, const std::string& key) {
    if (!o || !o->has(key)) return nullptr;
    auto v = o->get(key);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return v.extract<Poco::JSON::Object::Ptr>();
}

void setTimeOrNull(JsonObject o, const std::string& key, std::int64_t v) {
    if (v == 0) o->set(key, Poco::Dynamic::Var());
    else o->set(key, static_cast<Poco::Int64>(v));
}

} // namespace wildws::support
