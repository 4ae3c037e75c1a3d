#include "plugins/registry.hpp"

#include <algorithm>

namespace wildws::host {
namespace {

std::string ownedBy(const std::string& owner) {
    return owner == kHostOwner ? "wildws itself" : "plugin '" + owner + "'";
}

[[noreturn]] void clash(const std::string& what, const std::string& existingOwner, const std::string& owner) {
    throw RegistrationError(what + " is already registered by " + ownedBy(existingOwner) + "; " +
                            ownedBy(owner) + " cannot register it too - disable one of them in wildws.ini");
}

template <class Entries, class Same>
const typename Entries::value_type* findIn(const Entries& a, const Entries& b, Same same) {
    for (auto* list : {&a, &b})
        for (auto& e : *list)
            if (same(e)) return &e;
    return nullptr;
}

} // namespace

std::string methodName(Method m) {
    switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    }
    return "?";
}

std::string roleName(Role r) {
    switch (r) {
    case Role::Cli: return "cli";
    case Role::Workspace: return "workspace";
    case Role::Daemon: return "daemon";
    }
    return "?";
}

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> out;
    std::string seg;
    for (char c : path + "/") {
        if (c == '/') {
            if (!seg.empty()) out.push_back(seg);
            seg.clear();
        } else {
            seg += c;
        }
    }
    return out;
}

std::string routeKey(Role role, Method m, const std::vector<std::string>& segments) {
    std::string key = roleName(role) + " " + methodName(m) + " ";
    for (auto& s : segments) key += "/" + (s.rfind(':', 0) == 0 ? std::string(":") : s);
    return key;
}

void Registry::checkCommand(const Contributions& bundle, const std::string& owner, const CommandSpec& spec) const {
    if (auto* e = findIn(all_.commands, bundle.commands, [&](auto& c) { return c.spec.name == spec.name; }))
        clash("command '" + spec.name + "'", e->owner, owner);
}

void Registry::checkRoute(const Contributions& bundle, const std::string& owner, const RouteEntry& entry) const {
    auto key = routeKey(entry.spec.role, entry.spec.method, entry.segments);
    if (auto* e = findIn(all_.routes, bundle.routes,
                         [&](auto& r) { return routeKey(r.spec.role, r.spec.method, r.segments) == key; }))
        clash("route " + methodName(entry.spec.method) + " " + entry.spec.path + " (" + roleName(entry.spec.role) + ")",
              e->owner, owner);
}

void Registry::checkTick(const Contributions& bundle, const std::string& owner, const TickSpec& spec) const {
    if (auto* e = findIn(all_.ticks, bundle.ticks,
                         [&](auto& t) { return t.owner == owner && t.spec.name == spec.name; }))
        clash("tick '" + spec.name + "'", e->owner, owner);
}

void Registry::checkSupportAction(const Contributions& bundle, const std::string& owner,
                                  const SupportActionSpec& spec) const {
    if (auto* e = findIn(all_.supportActions, bundle.supportActions,
                         [&](auto& a) { return a.spec.name == spec.name; }))
        clash("support action '" + spec.name + "'", e->owner, owner);
}

void Registry::checkService(const Contributions& bundle, const std::string& owner, const std::string& id,
                            const std::string& name) const {
    if (auto* e = findIn(all_.services, bundle.services, [&](auto& s) { return s.id == id && s.name == name; }))
        clash("service " + id + (name.empty() ? "" : " '" + name + "'"), e->owner, owner);
}

void Registry::commit(Contributions bundle) {
    auto move = [](auto& from, auto& to) {
        for (auto& e : from) to.push_back(std::move(e));
    };
    move(bundle.commands, all_.commands);
    move(bundle.routes, all_.routes);
    move(bundle.ticks, all_.ticks);
    move(bundle.supportActions, all_.supportActions);
    move(bundle.services, all_.services);
}

const CommandEntry* Registry::findCommand(const std::string& name) const {
    for (auto& c : all_.commands)
        if (c.spec.name == name) return &c;
    return nullptr;
}

const SupportActionEntry* Registry::findSupportAction(const std::string& name) const {
    for (auto& a : all_.supportActions)
        if (a.spec.name == name) return &a;
    return nullptr;
}

std::string Registry::serviceOwner(std::string_view id, std::string_view name) const {
    for (auto& s : all_.services)
        if (s.id == id && s.name == name) return s.owner;
    return {};
}

std::shared_ptr<void> Registry::findRaw(std::string_view serviceId, std::string_view name) const {
    for (auto& s : all_.services)
        if (s.id == serviceId && s.name == name) return s.impl;
    return nullptr;
}

std::vector<std::shared_ptr<void>> Registry::allRaw(std::string_view serviceId) const {
    std::vector<std::shared_ptr<void>> out;
    for (auto& s : all_.services)
        if (s.id == serviceId) out.push_back(s.impl);
    return out;
}

void Registry::clear() { all_ = Contributions{}; }

} // namespace wildws::host
