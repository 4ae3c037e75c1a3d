// Thin, non-throwing accessors over Poco::JSON for reading agent events.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wildws::agent::json {

/// The line as a JSON object, or null when it is not one.
Poco::JSON::Object::Ptr parseObject(std::string_view text);

/// A fresh object that keeps keys in insertion order.
Poco::JSON::Object::Ptr object();

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key, const std::string& fallback = {});
std::int64_t integer(const Poco::JSON::Object::Ptr& o, const std::string& key, std::int64_t fallback = -1);
double number(const Poco::JSON::Object::Ptr& o, const std::string& key, double fallback = -1);
bool boolean(const Poco::JSON::Object::Ptr& o, const std::string& key, bool fallback = false);
bool isNull(const Poco::JSON::Object::Ptr& o, const std::string& key); // absent or null
Poco::JSON::Object::Ptr obj(const Poco::JSON::Object::Ptr& o, const std::string& key);
Poco::JSON::Array::Ptr arr(const Poco::JSON::Object::Ptr& o, const std::string& key);

/// Compact JSON text of any value ("null" for an empty one).
std::string stringify(const Poco::Dynamic::Var& value);

} // namespace wildws::agent::json
