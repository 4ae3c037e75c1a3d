// One JSON helper for the first-party plugins, on Poco::JSON. Every JSON
// text a plugin writes is built as an object and serialised here (never
// concatenated), so a quote or newline inside a value cannot forge a field;
// every JSON text it reads goes through parse()/parseObject().
//
// Reading: parse() is strict by default - one JSON value that must be an
// object, no key twice in any object (parsers disagree on which copy wins,
// so a duplicate is a classic way to smuggle a value), at most 64 levels -
// and says what is wrong in one line. The getters are typed: a member of
// another type is absent (nullopt), never converted ("3" is not 3, true is
// not 1, 2.5 is not an integer).
//
// Poco objects are reference-counted and not thread-safe: share a parsed
// object between threads only read-only. The functions themselves are
// thread-safe and, but for allocation, never throw.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wildws::common::json {

using Object = Poco::JSON::Object::Ptr;
using Array = Poco::JSON::Array::Ptr;

struct ParseOptions {
    bool rejectDuplicateKeys = true;
    bool keepKeyOrder = true; // objects keep the text's key order (else sorted)
    int maxDepth = 64;        // nesting levels; -1: unlimited

    /// For another program's output (an agent's event lines): Poco's own
    /// rules - the last of a repeated key wins, keys sorted, no depth limit.
    static ParseOptions loose() {
        ParseOptions o;
        o.rejectDuplicateKeys = false;
        o.keepKeyOrder = false;
        o.maxDepth = -1;
        return o;
    }
};

struct Parsed {
    Object object;     // null when `error` is set
    std::string error; // "not valid JSON", "not a JSON object", "key 'tier' appears twice"
    explicit operator bool() const { return static_cast<bool>(object); }
};

/// `text` as one JSON object, or the reason it is not one.
Parsed parse(std::string_view text, const ParseOptions& options = {});
/// The object, or null with the reason dropped.
Object parseObject(std::string_view text, const ParseOptions& options = {});
/// A quick filter for lines that may be JSON: `text` starts (after spaces,
/// tabs and CRs) with '{'. Agents print other lines too.
bool looksLikeObject(std::string_view text);

/// A new object that keeps its keys in insertion order (readable files).
Object object();
Array array();

/// Compact JSON text, no trailing newline. A null Object is "null".
std::string toText(const Object& o);
std::string toText(const Array& a);
/// Any value; an empty one is "null".
std::string toText(const Poco::Dynamic::Var& value);

/// Typed members of `o` (a null `o` has none). nullopt: absent or another type.
std::optional<std::string> getString(const Object& o, const std::string& key);
/// Only a JSON integer literal within int64 counts.
std::optional<std::int64_t> getInt(const Object& o, const std::string& key);
/// Any JSON number (integer or not).
std::optional<double> getNumber(const Object& o, const std::string& key);
std::optional<bool> getBool(const Object& o, const std::string& key);
/// Null when absent or not an object / array.
Object getObject(const Object& o, const std::string& key);
Array getArray(const Object& o, const std::string& key);
/// Absent, or JSON null.
bool isNull(const Object& o, const std::string& key);
/// The member as JSON text, for messages ("\"3\"", "2.5", "null"); "" when absent.
std::string memberText(const Object& o, const std::string& key);

/// The one way a time goes into JSON output (CLI --json, HTTP bodies, NDJSON
/// lines, /api/events): ISO 8601 UTC with milliseconds
/// ("2026-12-01T08:27:59.123Z", common::isoUtc), or null when `ms` is 0 or
/// negative (an absent time, never 0). State files on disk keep their own
/// ms integers; this is for the output edge only.
Poco::Dynamic::Var timeOrNull(std::int64_t ms);
/// Sets `key` to timeOrNull(ms).
void setTimeOrNull(Object o, const std::string& key, std::int64_t ms);
void setTimeOrNull(Poco::JSON::Object& o, const std::string& key, std::int64_t ms);

} // namespace wildws::common::json

namespace wildws {
/// Plugin code inside namespace wildws::<plugin> writes json::getString(...).
namespace json = common::json;
} // namespace wildws
