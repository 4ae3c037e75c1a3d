// The few Poco::JSON reads this plugin needs, none of which may throw on
// an agent's odd output.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace wildws::gemini::json {

/// The object on this line, or null when it is not a JSON object.
Poco::JSON::Object::Ptr parseObject(std::string_view text);
/// A string member, or `fallback` when missing or not a string.
std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key, const std::string& fallback = {});
/// A number member, or -1 when missing or not a number.
double num(const Poco::JSON::Object::Ptr& o, const std::string& key);
bool flag(const Poco::JSON::Object::Ptr& o, const std::string& key);
/// A member as JSON text ("{}" when missing).
std::string raw(const Poco::JSON::Object::Ptr& o, const std::string& key);
/// `s` as a JSON string literal, quotes included.
std::string quote(const std::string& s);
/// Invalid UTF-8 replaced, so every chunk serialises.
std::string validUtf8(std::string_view s);
/// At most `max` bytes, cut on a character boundary, "..." appended when cut.
std::string truncate(const std::string& s, std::size_t max);

} // namespace wildws::gemini::json
