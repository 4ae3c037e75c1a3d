// What a request field's JSON value is, in words, for the 400 that names a
// field of the wrong type ("tier must be a JSON number from 1 to 4 (got a
// string)"): a wrong type is refused, never converted.
#pragma once

#include <wildws/common/json.hpp>

#include <optional>
#include <string>

namespace wildws::support {

/// "a string", "a number", "true or false", "null", "an array", "an object".
std::string jsonTypeName(const Poco::Dynamic::Var& v);

/// `key` must be `expected` ("a string", ...): nullopt when it is absent or
/// `isRight` says its value is fine, else "<key> must be <expected> (got <type>)".
template <typename Check>
std::optional<std::string> wrongType(const json::Object& body, const std::string& key, const std::string& expected,
                                     Check isRight) {
    if (!body || !body->has(key)) return std::nullopt;
    auto v = body->get(key);
    if (isRight(v)) return std::nullopt;
    return key + " must be " + expected + " (got " + jsonTypeName(v) + ")";
}

inline bool isJsonString(const Poco::Dynamic::Var& v) { return v.isString(); }
inline bool isJsonBool(const Poco::Dynamic::Var& v) { return v.isBoolean(); }
inline bool isJsonNumber(const Poco::Dynamic::Var& v) {
    return !v.isEmpty() && !v.isString() && !v.isBoolean() && v.isNumeric();
}

} // namespace wildws::support
