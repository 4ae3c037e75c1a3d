// JSON in and out through Poco::JSON only: no file or line of ours is ever
// built by string concatenation, so a quote or newline in a reason, actor or
// plugin name cannot forge a field.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::supervisor {

/// An object that keeps its keys in insertion order (readable files).
Poco::JSON::Object::Ptr newObject();
std::string toJson(const Poco::JSON::Object::Ptr& object);
/// The text parsed as a JSON object; null when it is anything else.
Poco::JSON::Object::Ptr parseObject(const std::string& text);

std::optional<std::string> stringAt(const Poco::JSON::Object::Ptr& o, const std::string& key);
std::optional<std::int64_t> intAt(const Poco::JSON::Object::Ptr& o, const std::string& key);
std::optional<bool> boolAt(const Poco::JSON::Object::Ptr& o, const std::string& key);

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> readWholeFile(const std::string& path);

} // namespace wildws::supervisor
