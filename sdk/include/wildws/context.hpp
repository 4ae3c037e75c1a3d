// wildws SDK - what the host hands a plugin's setup().
//
// SETUP-ONLY: the Context itself, and every registration call on it
// (command, route, tick, supportAction, provide), are valid only while
// setup() runs. A registration made later throws std::logic_error.
// A registration that clashes with another plugin's (same command, same
// method + path in the same role, same service id + name, same support
// action) throws wildws::RegistrationError naming both owners; let it
// propagate: the host rolls the whole plugin back and reports it.
//
// What outlives setup (keep these, not the Context): host(), config(),
// logger() and services() are valid until process exit.
#pragma once

#include <wildws/command.hpp>
#include <wildws/config.hpp>
#include <wildws/export.hpp>
#include <wildws/http.hpp>
#include <wildws/services.hpp>
#include <wildws/support.hpp>
#include <wildws/tick.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace wildws {

class WILDWS_EXPORT RegistrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~RegistrationError() override;
};

/// Facts about this process, the same for every plugin.
struct HostInfo {
    std::string version;                 // wildws version, "0.1.0"
    std::string home;                    // the state directory (0700)
    std::string executable;              // absolute path of the wildws binary
    std::vector<std::string> pluginDirs; // as given, in scan order
    std::string configFile;              // the wildws.ini in use ("" if none)
    Role role = Role::Cli;               // what this process is running as
    std::string bindAddress;             // serve/daemon listen address
    int workspacePort = 5173;
    int daemonPort = 5174;
};

class WILDWS_EXPORT Context {
public:
    virtual ~Context();

    virtual const HostInfo& host() const = 0;
    /// This plugin's [plugin.<name>] section.
    virtual const Config& config() const = 0;
    /// This plugin's logger (channel = plugin name, file logs/<name>.log).
    /// The host owns the sinks: never register loggers of your own.
    virtual std::shared_ptr<spdlog::logger> logger() const = 0;
    virtual Services& services() = 0;

    virtual void command(CommandSpec spec) = 0;
    virtual void route(RouteSpec spec) = 0;
    virtual void tick(TickSpec spec) = 0;
    virtual void supportAction(SupportActionSpec spec) = 0;

    template <class T>
    void provide(std::shared_ptr<T> impl, const std::string& name = {}) {
        provideRaw(T::kServiceId, name, std::static_pointer_cast<void>(std::move(impl)));
    }
    virtual void provideRaw(const std::string& serviceId, const std::string& name,
                            std::shared_ptr<void> impl) = 0;
};

} // namespace wildws
