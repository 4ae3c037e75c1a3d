// Everything plugins contributed, each entry tagged with its owner. Plugins
// register into a Contributions bundle during setup(); the bundle is
// committed whole after setup() returns, or dropped whole if it throws, so a
// failed plugin leaves nothing behind.
#pragma once

#include <wildws/context.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wildws::host {

inline constexpr const char* kHostOwner = "wildws";

struct CommandEntry {
    std::string owner;
    CommandSpec spec;
};

struct RouteEntry {
    std::string owner;
    RouteSpec spec;
    std::vector<std::string> segments; // "api", "chat", ":id"
};

struct TickStats {
    std::int64_t lastRunAt = 0;   // ms since epoch
    std::int64_t lastDurationMs = 0;
    std::int64_t runs = 0;
    std::int64_t failures = 0;
    std::string lastError;
};

struct TickEntry {
    std::string owner;
    TickSpec spec;
    std::shared_ptr<std::mutex> statsMutex = std::make_shared<std::mutex>();
    std::shared_ptr<TickStats> stats = std::make_shared<TickStats>();
};

struct SupportActionEntry {
    std::string owner;
    SupportActionSpec spec;
};

struct ServiceEntry {
    std::string owner;
    std::string id;
    std::string name;
    std::shared_ptr<void> impl;
};

struct Contributions {
    std::vector<CommandEntry> commands;
    std::vector<RouteEntry> routes;
    std::vector<TickEntry> ticks;
    std::vector<SupportActionEntry> supportActions;
    std::vector<ServiceEntry> services;
};

std::string methodName(Method m);
std::vector<std::string> splitPath(const std::string& path);
/// "/api/chat/:id" and "/api/chat/:other" are the same route.
std::string routeKey(Role role, Method m, const std::vector<std::string>& segments);
std::string roleName(Role r);

/// Thread-safe after startup: commit() happens during loading only, on the
/// main thread; later every access is a read.
class Registry : public Services {
public:
    /// Throws RegistrationError naming both owners when `item` clashes with
    /// something already committed or already staged in `bundle`.
    void checkCommand(const Contributions& bundle, const std::string& owner, const CommandSpec& spec) const;
    void checkRoute(const Contributions& bundle, const std::string& owner, const RouteEntry& entry) const;
    void checkTick(const Contributions& bundle, const std::string& owner, const TickSpec& spec) const;
    void checkSupportAction(const Contributions& bundle, const std::string& owner, const SupportActionSpec& spec) const;
    void checkService(const Contributions& bundle, const std::string& owner, const std::string& id,
                      const std::string& name) const;

    void commit(Contributions bundle);

    const std::vector<CommandEntry>& commands() const { return all_.commands; }
    const std::vector<RouteEntry>& routes() const { return all_.routes; }
    std::vector<TickEntry>& ticks() { return all_.ticks; }
    const std::vector<SupportActionEntry>& supportActions() const { return all_.supportActions; }
    const CommandEntry* findCommand(const std::string& name) const;
    const SupportActionEntry* findSupportAction(const std::string& name) const;
    /// The owner of a service, for plugin-state checks ("" when none).
    std::string serviceOwner(std::string_view id, std::string_view name) const;

    std::shared_ptr<void> findRaw(std::string_view serviceId, std::string_view name) const override;
    std::vector<std::shared_ptr<void>> allRaw(std::string_view serviceId) const override;

    /// Drops every contribution (plugin code) before the libraries go.
    void clear();

private:
    Contributions all_;
};

} // namespace wildws::host
