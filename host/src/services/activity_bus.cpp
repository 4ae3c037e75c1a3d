#include "services/activity_bus.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>

namespace wildws::host {

void ActivityBusImpl::publish(const std::string& type, const std::string& fieldsJson) {
    Poco::JSON::Object::Ptr event = new Poco::JSON::Object;
    try {
        auto fields = Poco::JSON::Parser().parse(fieldsJson.empty() ? "{}" : fieldsJson);
        if (auto obj = fields.extract<Poco::JSON::Object::Ptr>())
            for (auto& [k, v] : *obj) event->set(k, v);
    } catch (const std::exception&) {
        event->set("fields", fieldsJson); // never lose an event to a bad payload
    }
    event->set("type", type);
    wildws::common::json::setTimeOrNull(*event, "at", wildws::common::nowMs());
    std::ostringstream out;
    event->stringify(out);
    std::map<int, std::function<void(const std::string&)>> copy;
    {
        std::lock_guard lock(mutex_);
        copy = listeners_;
    }
    for (auto& [id, listener] : copy) listener(out.str());
}

int ActivityBusImpl::subscribe(std::function<void(const std::string&)> listener) {
    std::lock_guard lock(mutex_);
    listeners_[nextId_] = std::move(listener);
    return nextId_++;
}

void ActivityBusImpl::unsubscribe(int id) {
    std::lock_guard lock(mutex_);
    listeners_.erase(id);
}

} // namespace wildws::host
