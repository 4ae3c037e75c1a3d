#include "json_util.hpp"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <limits>
#include <set>
#include <sstream>
#include <vector>

namespace wildws::consent {
namespace {

// Poco's handler with one addition: remembers a key repeated in one object.
class DuplicateAwareHandler : public Poco::JSON::ParseHandler {
public:
    DuplicateAwareHandler() : Poco::JSON::ParseHandler(true) {}
    void reset() override {
        Poco::JSON::ParseHandler::reset();
        keys_.clear();
        duplicate_.clear();
    }
    void startObject() override {
        Poco::JSON::ParseHandler::startObject();
        keys_.emplace_back();
    }
    void endObject() override {
        Poco::JSON::ParseHandler::endObject();
        if (!keys_.empty()) keys_.pop_back();
    }
    void key(const std::string& k) override {
        Poco::JSON::ParseHandler::key(k);
        if (!keys_.empty() && !keys_.back().insert(k).second && duplicate_.empty()) duplicate_ = k;
    }
    const std::string& duplicate() const { return duplicate_; }

private:
    std::vector<std::set<std::string>> keys_;
    std::string duplicate_;
};

} // namespace

StrictObject parseObjectStrict(std::string_view text) {
    StrictObject out;
    Poco::SharedPtr<DuplicateAwareHandler> handler(new DuplicateAwareHandler);
    Poco::JSON::Parser parser(handler);
    parser.setDepth(32);
    Poco::Dynamic::Var result;
    try {
        result = parser.parse(std::string(text));
    } catch (const Poco::Exception&) {
        out.error = "not valid JSON";
        return out;
    } catch (const std::exception&) {
        out.error = "not valid JSON";
        return out;
    }
    if (!handler->duplicate().empty()) {
        out.error = "key '" + handler->duplicate() + "' appears twice";
        return out;
    }
    if (result.type() != typeid(Poco::JSON::Object::Ptr)) {
        out.error = "not a JSON object";
        return out;
    }
    out.object = result.extract<Poco::JSON::Object::Ptr>();
    if (!out.object) out.error = "not a JSON object";
    return out;
}

Poco::JSON::Object::Ptr orderedObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string toJson(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::string toJson(const Poco::JSON::Object::Ptr& object) { return toJson(*object); }

std::optional<std::int64_t> integerMember(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key)) return std::nullopt;
    Poco::Dynamic::Var v = object.get(key);
    if (v.isEmpty() || v.isString() || v.isBoolean() || !v.isInteger()) return std::nullopt;
    const auto& t = v.type();
    try {
        if (t == typeid(Poco::UInt64) || t == typeid(unsigned) || t == typeid(unsigned long)) {
            auto u = v.convert<Poco::UInt64>();
            if (u > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
            return static_cast<std::int64_t>(u);
        }
        return v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> stringMember(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key)) return std::nullopt;
    Poco::Dynamic::Var v = object.get(key);
    if (!v.isString()) return std::nullopt;
    return v.extract<std::string>();
}

std::optional<bool> boolMember(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key)) return std::nullopt;
    Poco::Dynamic::Var v = object.get(key);
    if (!v.isBoolean()) return std::nullopt;
    return v.extract<bool>();
}

std::string memberJson(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key)) return "";
    std::ostringstream out;
    try {
        Poco::JSON::Stringifier::condense(object.get(key), out);
    } catch (const Poco::Exception&) {
        return "?";
    }
    return out.str();
}

std::string sanitizeUtf8(std::string_view s) {
    static const char kReplacement[] = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            ok = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid too.
        if (ok && ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
                   (cp >= 0xd800 && cp <= 0xdfff)))
            ok = false;
        if (ok) {
            out.append(s.data() + i, len);
            i += len;
        } else {
            out += kReplacement;
            ++i;
        }
    }
    return out;
}

std::string truncateUtf8(const std::string& text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return text;
    std::size_t cut = maxBytes >= 3 ? maxBytes - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
    return text.substr(0, cut) + "\xE2\x80\xA6";
}

} // namespace wildws::consent
