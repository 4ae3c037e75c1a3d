// wildws SDK - the typed service registry.
//
// A service is an interface declared in the SDK (wildws/services/*.hpp) with
// a `static constexpr const char* kServiceId`. One plugin (or the host)
// provides an implementation during setup, with ctx.provide<T>(impl, name);
// others look it up with services().find<T>(name) once every plugin is set
// up, i.e. from handlers, ticks and commands, not from setup() itself.
// Several implementations of one interface are told apart by `name` (agent
// backends: "claude", "codex", ...); all<T>() returns every one.
//
// OWNERSHIP: the registry holds a shared_ptr to each service until process
// exit, after every handler and tick has stopped and before any plugin
// library is closed. A service you found may be used from any thread, so
// implementations must be thread-safe.
#pragma once

#include <wildws/export.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wildws {

class WILDWS_EXPORT Services {
public:
    virtual ~Services();

    template <class T>
    std::shared_ptr<T> find(std::string_view name = {}) const {
        return std::static_pointer_cast<T>(findRaw(T::kServiceId, name));
    }
    template <class T>
    std::vector<std::shared_ptr<T>> all() const {
        std::vector<std::shared_ptr<T>> out;
        for (auto& p : allRaw(T::kServiceId)) out.push_back(std::static_pointer_cast<T>(p));
        return out;
    }

    virtual std::shared_ptr<void> findRaw(std::string_view serviceId, std::string_view name) const = 0;
    virtual std::vector<std::shared_ptr<void>> allRaw(std::string_view serviceId) const = 0;
};

} // namespace wildws
