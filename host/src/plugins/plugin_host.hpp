// Finds, checks, opens and sets up plugins, and keeps their libraries loaded
// until every object they made is gone (process exit).
//
// Order of checks for each wildws-<name>.so, first failure wins:
//   disabled by config (never opened) -> unsafe permissions -> already loaded
//   from another directory -> dlopen(RTLD_NOW) -> exported ABI number ->
//   factory -> info().name == <name> -> setup() (rolled back whole on throw).
#pragma once

#include "plugins/plugin_table.hpp"
#include "plugins/registry.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace boost::dll {
class shared_library;
}

namespace wildws::host {

class ConfigStore;
class Logs;
class PluginContext;

/// Shipped with wildws (a plugins/ directory of this source tree).
bool isFirstParty(const std::string& name);

class PluginHost {
public:
    PluginHost(const HostInfo& host, const ConfigStore& config, Logs& logs);
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// The host's own commands, routes and services, owned by "wildws".
    void addHostContributions(Contributions bundle);
    /// A plugin file found in the plugin directories (nothing opened yet).
    struct Found {
        std::string dir;
        std::string file;
        std::string name;
    };
    /// Lists wildws-<name>.so in `dirs`, in order (a directory seen twice,
    /// through another path, is listed once). Opens no plugin.
    static std::vector<Found> discover(const std::vector<std::string>& dirs);
    /// Loads every plugin in `found`, in order.
    void loadAll(const std::vector<Found>& found);
    /// Loads only the plugins of `found` named in `names`: a one-shot command
    /// that needs one plugin sets up nothing else.
    void loadOnly(const std::vector<Found>& found, const std::set<std::string>& names);
    /// What a loaded plugin declared in PluginInfo::configKeys; nullptr when
    /// it is not loaded.
    const std::vector<ConfigKey>* declaredKeys(const std::string& name) const;
    /// Calls teardown() on every loaded plugin, last loaded first.
    void teardownAll();

    Registry& registry() { return registry_; }
    const Registry& registry() const { return registry_; }
    PluginTable& table() { return table_; }
    const PluginTable& table() const { return table_; }

    /// Runs a call into plugin `owner`, guarded; a throw marks the plugin
    /// failed. Returns the error, if any. Host-owned calls are guarded too.
    std::optional<std::string> call(const std::string& owner, const std::string& what,
                                    const std::function<void()>& fn);

private:
    struct Loaded {
        std::string name;
        std::unique_ptr<Plugin> instance;
        std::vector<ConfigKey> configKeys;
    };

    void loadOne(const std::string& dir, const std::string& file, const std::string& name);
    bool disabledByConfig(const std::string& name, std::string& why) const;
    bool disabledBySafeMode(const std::string& name, std::string& why) const;
    void fail(PluginStatus status, const std::string& state, const std::string& reason);

    // Declared first, destroyed last: code stays mapped while anything the
    // plugins made (registry entries, instances) is still being destroyed.
    std::vector<std::shared_ptr<boost::dll::shared_library>> libraries_;
    const HostInfo& host_;
    const ConfigStore& config_;
    Logs& logs_;
    std::vector<std::unique_ptr<Config>> sections_;
    std::vector<std::unique_ptr<PluginContext>> contexts_;
    Registry registry_;
    PluginTable table_;
    std::vector<Loaded> loaded_;
    bool tornDown_ = false;
    struct SafeMode {
        bool loaded = false;
        bool onlyFirstParty = false;
        std::string firstPartyReason;
        std::map<std::string, std::string> disabled; // plugin -> reason
    };
    mutable SafeMode safeMode_;
};

} // namespace wildws::host
