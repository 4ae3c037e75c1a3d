#include "json.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/UTF8String.h>

#include <sstream>

namespace wildws::gemini::json {

Poco::JSON::Object::Ptr parseObject(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    if (i >= text.size() || text[i] != '{') return nullptr;
    try {
        Poco::JSON::Parser parser;
        auto v = parser.parse(std::string(text));
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
    }
    return nullptr;
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key, const std::string& fallback) {
    if (!o || !o->has(key)) return fallback;
    auto v = o->get(key);
    if (!v.isString()) return fallback;
    try {
        return v.extract<std::string>();
    } catch (const std::exception&) {
        return fallback;
    }
}

double num(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return -1;
    auto v = o->get(key);
    if (!v.isNumeric()) return -1;
    try {
        return v.convert<double>();
    } catch (const std::exception&) {
        return -1;
    }
}

bool flag(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return false;
    auto v = o->get(key);
    return v.isBoolean() && v.extract<bool>();
}

std::string raw(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key) || o->isNull(key)) return "{}";
    std::ostringstream out;
    try {
        auto v = o->get(key);
        if (v.type() == typeid(Poco::JSON::Object::Ptr))
            v.extract<Poco::JSON::Object::Ptr>()->stringify(out);
        else if (v.type() == typeid(Poco::JSON::Array::Ptr))
            v.extract<Poco::JSON::Array::Ptr>()->stringify(out);
        else
            return "{}";
    } catch (const std::exception&) {
        return "{}";
    }
    return out.str();
}

std::string quote(const std::string& s) { return "\"" + Poco::UTF8::escape(validUtf8(s), true) + "\""; }

std::string validUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (ok && len == 2) ok = c >= 0xC2;
        if (ok && len == 3) {
            auto c1 = static_cast<unsigned char>(s[i + 1]);
            ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        }
        if (ok && len == 4) {
            auto c1 = static_cast<unsigned char>(s[i + 1]);
            ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (ok) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::string truncate(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "...";
}

} // namespace wildws::gemini::json
