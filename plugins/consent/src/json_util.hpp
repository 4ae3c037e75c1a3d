// Strict JSON reading and safe JSON writing for the consent files. Lines and
// files are always produced by Poco::JSON, never by string concatenation, so
// a newline or quote inside a value can never forge a field or an entry.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wildws::consent {

struct StrictObject {
    Poco::JSON::Object::Ptr object; // null when `error` is set
    std::string error;              // "not valid JSON", "key 'tier' appears twice", ...
};

/// Parses `text` as one JSON object. Refuses anything else, and refuses a
/// key that appears twice in the top-level object (JSON parsers disagree on
/// which copy wins, so a duplicate is a classic way to smuggle a value).
StrictObject parseObjectStrict(std::string_view text);

/// A new object that keeps its keys in insertion order.
Poco::JSON::Object::Ptr orderedObject();
/// One line of JSON, no trailing newline.
std::string toJson(const Poco::JSON::Object& object);
std::string toJson(const Poco::JSON::Object::Ptr& object);

/// The member as an integer: only a JSON integer literal counts (not a
/// string, a bool or a number with a fraction or exponent).
std::optional<std::int64_t> integerMember(const Poco::JSON::Object& object, const std::string& key);
/// The member as a string: only a JSON string counts.
std::optional<std::string> stringMember(const Poco::JSON::Object& object, const std::string& key);
std::optional<bool> boolMember(const Poco::JSON::Object& object, const std::string& key);
/// The member's JSON text, for messages ("\"3\"", "2.5", "null"); "" if absent.
std::string memberJson(const Poco::JSON::Object& object, const std::string& key);

/// Valid UTF-8, with every invalid byte replaced by U+FFFD.
std::string sanitizeUtf8(std::string_view text);
/// At most `maxBytes` bytes, cut on a character boundary, "…" appended when cut.
std::string truncateUtf8(const std::string& text, std::size_t maxBytes);

} // namespace wildws::consent
