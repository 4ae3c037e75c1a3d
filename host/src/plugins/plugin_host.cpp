#include "plugins/plugin_host.hpp"

#include "app/config_store.hpp"
#include "app/logs.hpp"
#include "plugins/file_safety.hpp"
#include "plugins/guard.hpp"
#include "plugins/plugin_context.hpp"

#include "version.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <dirent.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace wildws::host {
namespace {

constexpr const char* kPrefix = "wildws-";
constexpr const char* kSuffix = ".so";

// "wildws-<name>.so", name in [a-z0-9_-]+. By hand, not std::regex: building
// that regex was 2% of a one-shot command's start.
std::optional<std::string> pluginNameOf(const std::string& file) {
    const std::size_t prefix = std::char_traits<char>::length(kPrefix), suffix = std::char_traits<char>::length(kSuffix);
    if (file.size() <= prefix + suffix || file.compare(0, prefix, kPrefix) != 0 ||
        file.compare(file.size() - suffix, suffix, kSuffix) != 0)
        return std::nullopt;
    std::string name = file.substr(prefix, file.size() - prefix - suffix);
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return std::nullopt;
    return name;
}

std::vector<std::string> listDir(const std::string& dir) {
    std::vector<std::string> files;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (auto* e = ::readdir(d)) files.emplace_back(e->d_name);
        ::closedir(d);
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string realPath(const std::string& p) {
    char buf[PATH_MAX];
    return ::realpath(p.c_str(), buf) ? std::string(buf) : p;
}

} // namespace

PluginHost::PluginHost(const HostInfo& host, const ConfigStore& config, Logs& logs)
    : host_(host), config_(config), logs_(logs) {}

PluginHost::~PluginHost() {
    teardownAll();
    registry_.clear();
    loaded_.clear();
}

void PluginHost::addHostContributions(Contributions bundle) { registry_.commit(std::move(bundle)); }

bool PluginHost::disabledByConfig(const std::string& name, std::string& why) const {
    auto where = config_.file().empty() ? std::string("the config") : config_.file();
    auto section = config_.section("plugins");
    for (auto& n : section->getList("disable"))
        if (n == name) {
            why = "disabled in " + where + " ([plugins] disable)";
            return true;
        }
    auto own = config_.section("plugin." + name);
    try {
        if (!own->getBool("enabled", true)) {
            why = "disabled in " + where + " ([plugin." + name + "] enabled = false)";
            return true;
        }
    } catch (const ConfigError& e) {
        why = std::string(e.what()) + " - so it stays off";
        return true;
    }
    return false;
}

// <home>/safe-mode.json, written by the supervisor when the server crash-loops:
//   {"disabled":[{"plugin":"x","signal":"SIGSEGV","call":"GET /api/x"}],
//    "onlyFirstParty": false}
// A listed plugin is never opened, in any role, until
// `wildws always-on start --clear-safe-mode` removes the file.
bool PluginHost::disabledBySafeMode(const std::string& name, std::string& why) const {
    if (!safeMode_.loaded) {
        safeMode_.loaded = true;
        std::ifstream in(host_.home + "/safe-mode.json");
        std::stringstream text;
        text << in.rdbuf();
        if (!text.str().empty()) {
            try {
                auto root = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
                safeMode_.onlyFirstParty = root->optValue<bool>("onlyFirstParty", false);
                safeMode_.firstPartyReason = root->optValue<std::string>("reason", "the server crash-looped");
                if (auto list = root->getArray("disabled"))
                    for (std::size_t i = 0; i < list->size(); ++i) {
                        auto o = list->getObject(static_cast<unsigned>(i));
                        safeMode_.disabled[o->getValue<std::string>("plugin")] =
                            o->optValue<std::string>("signal", "a crash") + " in " +
                            o->optValue<std::string>("call", "an unknown call");
                    }
            } catch (const std::exception& e) {
                logs_.channel("wildws")->warn("ignoring {}/safe-mode.json: not valid ({})", host_.home, e.what());
            }
        }
    }
    const std::string again = " - run 'wildws always-on start --clear-safe-mode' to try it again";
    if (auto it = safeMode_.disabled.find(name); it != safeMode_.disabled.end()) {
        why = "disabled by safe mode: " + name + " (" + it->second + ")" + again;
        return true;
    }
    if (safeMode_.onlyFirstParty && !isFirstParty(name)) {
        why = "disabled by safe mode: not shipped with wildws (" + safeMode_.firstPartyReason + ")" + again;
        return true;
    }
    return false;
}

bool isFirstParty(const std::string& name) {
    std::stringstream list(WILDWS_FIRST_PARTY_PLUGINS);
    for (std::string item; std::getline(list, item, ';');)
        if (item == name) return true;
    return false;
}

void PluginHost::fail(PluginStatus status, const std::string& state, const std::string& reason) {
    status.state = state;
    status.reason = reason;
    if (state != state::kDisabled)
        logs_.channel("wildws")->warn("plugin '{}' ({}): {}", status.name, status.file, reason);
    table_.add(std::move(status));
}

std::vector<PluginHost::Found> PluginHost::discover(const std::vector<std::string>& dirs) {
    std::vector<Found> out;
    std::set<std::string> seenDirs;
    for (auto& dir : dirs) {
        if (!seenDirs.insert(realPath(dir)).second) continue;
        for (auto& file : listDir(dir)) {
            auto name = pluginNameOf(file);
            if (!name) continue;
            out.push_back({dir, dir + "/" + file, *name});
        }
    }
    return out;
}

void PluginHost::loadAll(const std::vector<Found>& found) {
    for (auto& f : found) loadOne(f.dir, f.file, f.name);
}

void PluginHost::loadOnly(const std::vector<Found>& found, const std::set<std::string>& names) {
    for (auto& f : found)
        if (names.count(f.name)) loadOne(f.dir, f.file, f.name);
}

const std::vector<ConfigKey>* PluginHost::declaredKeys(const std::string& name) const {
    for (auto& l : loaded_)
        if (l.name == name) return &l.configKeys;
    return nullptr;
}

void PluginHost::loadOne(const std::string& dir, const std::string& file, const std::string& name) {
    PluginStatus status;
    status.name = name;
    status.file = file;

    std::string why;
    if (disabledByConfig(name, why) || disabledBySafeMode(name, why)) return fail(status, state::kDisabled, why);
    for (auto& path : {dir, file})
        if (auto unsafe = unsafeReason(path)) return fail(status, state::kUnsafePermissions, "not loaded: " + *unsafe);
    if (auto other = table_.find(name); other && other->state == state::kLoaded)
        return fail(status, state::kDuplicate,
                    "a plugin named '" + name + "' is already loaded from " + other->file +
                        " - remove one of the two files or disable one directory");

    auto lib = std::make_shared<boost::dll::shared_library>();
    try {
        lib->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return fail(status, state::kOpenFailed,
                    std::string("cannot be opened: ") + e.what() +
                        " - rebuild it against this wildws, or install what it links to");
    }
    libraries_.push_back(lib);

    if (!lib->has("wildws_abi_version"))
        return fail(status, state::kNoEntryPoint,
                    "has no wildws_abi_version symbol, so it is not a wildws plugin - add WILDWS_PLUGIN(YourClass) "
                    "to one .cpp and build it with wildws_add_plugin()");
    auto abi = lib->get<const std::uint32_t>("wildws_abi_version");
    if (abi != kAbiVersion)
        return fail(status, state::kIncompatibleAbi,
                    "built for wildws SDK ABI " + std::to_string(abi) + ", this wildws " + host_.version +
                        " speaks ABI " + std::to_string(kAbiVersion) + " - rebuild it against wildws-sdk " +
                        host_.version);
    if (!lib->has("wildws_create_plugin"))
        return fail(status, state::kNoEntryPoint,
                    "exports an ABI number but no wildws_create_plugin factory - declare the plugin with "
                    "WILDWS_PLUGIN(YourClass)");

    auto factory = lib->get<Plugin*()>("wildws_create_plugin");
    std::unique_ptr<Plugin> instance;
    PluginInfo info;
    if (auto err = guarded(name, "create", [&] {
            instance.reset(factory());
            if (!instance) throw std::runtime_error("wildws_create_plugin() returned null");
            info = instance->info();
        }))
        return fail(status, state::kSetupFailed, "failed while being created: " + *err);
    status.version = info.version;
    status.description = info.description;
    if (info.name != name)
        return fail(status, state::kSetupFailed,
                    "says its name is '" + info.name + "' but the file is named for '" + name +
                        "' - rename the file to wildws-" + info.name + ".so or fix info().name");

    sections_.push_back(config_.section("plugin." + name));
    // Kept alive after setup so that a plugin which keeps the Context and
    // registers later gets the promised logic_error, not a dangling call.
    contexts_.push_back(std::make_unique<PluginContext>(name, host_, *sections_.back(), logs_.channel(name), registry_));
    PluginContext& ctx = *contexts_.back();
    bool duplicate = false;
    auto err = guarded(name, "setup", [&] {
        try {
            instance->setup(ctx);
        } catch (const RegistrationError&) {
            duplicate = true;
            throw;
        }
    });
    auto bundle = ctx.close();
    if (err) {
        // Nothing it registered is committed, and its object is dropped now
        // (the library stays mapped: libraries_ outlives everything).
        if (auto e = guarded(name, "destroy", [&] { instance.reset(); }))
            logs_.channel("wildws")->warn("plugin '{}' threw from its destructor: {}", name, *e);
        return fail(status, duplicate ? state::kDuplicate : state::kSetupFailed,
                    duplicate ? "not loaded: " + *err : "setup() failed and was rolled back: " + *err);
    }
    registry_.commit(std::move(bundle));
    status.state = state::kLoaded;
    table_.add(status);
    loaded_.push_back({name, std::move(instance), info.configKeys});
}

void PluginHost::teardownAll() {
    if (tornDown_) return;
    tornDown_ = true;
    for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it) {
        if (auto err = guarded(it->name, "teardown", [&] { it->instance->teardown(); }))
            logs_.channel("wildws")->warn("plugin '{}' threw from teardown(): {}", it->name, *err);
    }
}

std::optional<std::string> PluginHost::call(const std::string& owner, const std::string& what,
                                            const std::function<void()>& fn) {
    auto err = guarded(owner, what, fn);
    if (err && owner != kHostOwner) {
        table_.markFailed(owner, "threw from " + what + ": " + *err + " - it is off until wildws restarts");
        logs_.channel("wildws")->error("plugin '{}' threw from {}: {}", owner, what, *err);
    }
    return err;
}

} // namespace wildws::host
