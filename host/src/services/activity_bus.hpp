// The in-process activity bus ("wildws.activity/1"). /api/events subscribes
// one listener per open page.
#pragma once

#include <wildws/services/activity.hpp>

#include <map>
#include <mutex>

namespace wildws::host {

class ActivityBusImpl : public ActivityBus {
public:
    void publish(const std::string& type, const std::string& fieldsJson = "{}") override;
    int subscribe(std::function<void(const std::string& eventJson)> listener) override;
    void unsubscribe(int id) override;

private:
    std::mutex mutex_;
    int nextId_ = 1;
    std::map<int, std::function<void(const std::string&)>> listeners_;
};

} // namespace wildws::host
