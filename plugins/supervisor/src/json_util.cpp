#include "json_util.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

namespace wildws::supervisor {

Poco::JSON::Object::Ptr newObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string toJson(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    try {
        auto v = Poco::JSON::Parser().parse(text);
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
    }
    return nullptr;
}

std::optional<std::string> stringAt(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    auto v = o->get(key);
    if (!v.isString()) return std::nullopt;
    return v.convert<std::string>();
}

std::optional<std::int64_t> intAt(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    auto v = o->get(key);
    if (!v.isInteger()) return std::nullopt;
    try {
        return v.convert<std::int64_t>();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<bool> boolAt(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return std::nullopt;
    auto v = o->get(key);
    if (!v.isBoolean()) return std::nullopt;
    return v.convert<bool>();
}

std::optional<std::string> readWholeFile(const std::string& path) {
    // Every file read here is a state file in the home: through the SDK's
    // safe reader (no symlink, regular files only, capped), so a FIFO in
    // its place can never block the supervisor or a command.
    auto read = wildws::readStateFile(path);
    if (!read.ok()) return std::nullopt;
    return std::move(read.content);
}

} // namespace wildws::supervisor
