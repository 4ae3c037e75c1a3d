// Small helpers of the doctor: JSON state files read through the SDK's
// readStateFile (no symlinks, regular files of ours), sizes, times.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace wildws::doctor {

struct JsonFile {
    bool missing = false;
    std::string error;            // unsafe, unreadable or not a JSON object: one line
    Poco::JSON::Object::Ptr json; // when neither
};
JsonFile readJsonFile(const std::string& path, bool privateOnly = false);

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key);
std::int64_t integer(const Poco::JSON::Object::Ptr& o, const std::string& key, std::int64_t fallback = -1);
bool boolean(const Poco::JSON::Object::Ptr& o, const std::string& key);

/// "1.2 GB", "340 MB", "12 KB".
std::string humanBytes(std::uint64_t n);

} // namespace wildws::doctor
