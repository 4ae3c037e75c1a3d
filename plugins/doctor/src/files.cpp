#include "files.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Parser.h>

#include <ctime>
#include <fstream>
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
    try {
        auto v = Poco::JSON::Parser().parse(read.content);
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) f.json = v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
    }
    if (!f.json) f.error = path + " is not a JSON object (corrupt)";
    return f;
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key) || o->isNull(key)) return {};
    try {
        return o->getValue<std::string>(key);
    } catch (const std::exception&) {
        return {};
    }
}

std::int64_t integer(const Poco::JSON::Object::Ptr& o, const std::string& key, std::int64_t fallback) {
    if (!o || !o->has(key) || o->isNull(key)) return fallback;
    try {
        return o->getValue<std::int64_t>(key);
    } catch (const std::exception&) {
        return fallback;
    }
}

bool boolean(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return false;
    try {
        return o->getValue<bool>(key);
    } catch (const std::exception&) {
        return false;
    }
}

bool sameProcess(int pid, std::uint64_t startTime) {
    if (pid <= 0) return false;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return false;
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 > text.size()) return false;
    std::istringstream rest(text.substr(close + 2));
    std::string field, state;
    for (int i = 3; i <= 22; ++i) {
        if (!(rest >> field)) return false;
        if (i == 3) state = field;
        if (i == 22) return state != "Z" && std::to_string(startTime) == field;
    }
    return false;
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

std::string utcTime(std::int64_t ms) {
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

} // namespace wildws::doctor
