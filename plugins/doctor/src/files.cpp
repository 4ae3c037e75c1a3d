#include "files.hpp"

#include <wildws/secure.hpp>

#include <wildws/common/json.hpp>

#include <ctime>
#include <sstream>

namespace wildws::doctor {

JsonFile readJsonFile(const std::string& path, bool privateOnly) {
    JsonFile f;
    StateFileOptions o;
    o.privateOnly = privateOnly;
    auto read = readStateFile(path, o);
    if (read.problem == FileProblem::Missing) {
        f.missing = true;
        return f;
    }
    if (!read.ok()) {
        f.error = read.error;
        return f;
    }
    f.json = common::json::parseObject(read.content);
    if (!f.json) f.error = path + " is not a JSON object (corrupt)";
    return f;
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return common::json::getString(o, key).value_or("");
}

std::int64_t integer(const Poco::JSON::Object::Ptr& o, const std::string& key, std::int64_t fallback) {
    return common::json::getInt(o, key).value_or(fallback);
}

bool boolean(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return common::json::getBool(o, key).value_or(false);
}

std::string humanBytes(std::uint64_t n) {
    const char* units[] = {"bytes", "KB", "MB", "GB", "TB"};
    double v = static_cast<double>(n);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    std::ostringstream s;
    s.precision(u == 0 ? 0 : (v < 10 ? 1 : 0));
    s << std::fixed << v << " " << units[u];
    return s.str();
}


} // namespace wildws::doctor
