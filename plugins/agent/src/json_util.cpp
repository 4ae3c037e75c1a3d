#include "json_util.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace wildws::agent::json {

Poco::JSON::Object::Ptr parseObject(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    if (i == text.size() || text[i] != '{') return nullptr;
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(std::string(text));
        if (v.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
        return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key, const std::string& fallback) {
    if (!o) return fallback;
    auto v = o->get(key);
    if (v.isString()) return v.extract<std::string>();
    return fallback;
}

std::int64_t integer(const Poco::JSON::Object::Ptr& o, const std::string& key, std::int64_t fallback) {
    if (!o) return fallback;
    auto v = o->get(key);
    try {
        if (v.isInteger() || v.isNumeric()) return v.convert<std::int64_t>();
    } catch (const std::exception&) {
    }
    return fallback;
}

double number(const Poco::JSON::Object::Ptr& o, const std::string& key, double fallback) {
    if (!o) return fallback;
    auto v = o->get(key);
    try {
        if (v.isNumeric()) return v.convert<double>();
    } catch (const std::exception&) {
    }
    return fallback;
}

bool boolean(const Poco::JSON::Object::Ptr& o, const std::string& key, bool fallback) {
    if (!o) return fallback;
    auto v = o->get(key);
    if (v.isBoolean()) return v.extract<bool>();
    return fallback;
}

bool isNull(const Poco::JSON::Object::Ptr& o, const std::string& key) { return !o || o->isNull(key); }

Poco::JSON::Object::Ptr obj(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o) return nullptr;
    return o->getObject(key);
}

Poco::JSON::Array::Ptr arr(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o) return nullptr;
    return o->getArray(key);
}

std::string stringify(const Poco::Dynamic::Var& value) {
    if (value.isEmpty()) return "null";
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
    return out.str();
}

} // namespace wildws::agent::json
