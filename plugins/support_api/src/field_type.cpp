#include "field_type.hpp"

#include <Poco/JSON/Array.h>

namespace wildws::support {

std::string jsonTypeName(const Poco::Dynamic::Var& v) {
    if (v.isEmpty()) return "null";
    if (v.isString()) return "a string";
    if (v.isBoolean()) return "true or false";
    if (v.isNumeric()) return "a number";
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "an array";
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return "an object";
    return "another type";
}

} // namespace wildws::support
