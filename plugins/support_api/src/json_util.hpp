// Poco::JSON in one place: every JSON this plugin writes is built as an
// object and serialised (never concatenated), and every JSON it reads goes
// through parseObject.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wildws::support {

using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

/// A new object that keeps its keys in insertion order (easier to read).
JsonObject object();
JsonArray array();

/// Compact JSON text.
std::string toText(const JsonObject& o);
std::string toText(const JsonArray& a);

/// The object in `text`, or null when it is not valid JSON or not an object.
JsonObject parseObject(std::string_view text);

/// Typed members; nullopt when absent or of another type.
std::optional<std::string> stringMember(const JsonObject& o, const std::string& key);
/// A JSON integer (written without a fraction or exponent), within int64.
std::optional<std::int64_t> integerMember(const JsonObject& o, const std::string& key);
std::optional<bool> boolMember(const JsonObject& o, const std::string& key);
JsonObject objectMember(const JsonObject& o, const std::string& key);

/// Sets `key` to a number, or null when `v` is 0 (an absent time).
void setTimeOrNull(JsonObject o, const std::string& key, std::int64_t v);

} // namespace wildws::support
