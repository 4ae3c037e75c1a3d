// wildws SDK - what a plugin is, and the one macro that declares it.
//
// A plugin is a shared library named wildws-<name>.so that contains exactly
// one WILDWS_PLUGIN(Class) line. Build it with wildws_add_plugin() from the
// SDK's CMake package (hidden visibility, the right links, the right name).
//
// Lifecycle, in this order, all on the host's main thread:
//   1. the host reads the exported ABI number; a mismatch stops here;
//   2. wildws_create_plugin() makes the Plugin object (no other work yet:
//      never register anything from a static constructor);
//   3. info(): its name must equal the <name> in the file name;
//   4. setup(ctx): register commands, routes, ticks, support actions and
//      services. If setup throws, everything it registered is rolled back and
//      the plugin is marked failed; the host and the other plugins go on;
//   5. ... the process runs (handlers and ticks may run on other threads) ...
//   6. teardown(): stop threads you started; the host has already stopped
//      calling your handlers and ticks. Called in reverse load order.
//
// OWNERSHIP: the host owns the Plugin object and deletes it (through the
// virtual destructor) before the library is closed, which happens only at
// process exit. Everything a plugin hands the host (handlers, services,
// parsers) is destroyed before its library too.
#pragma once

#include <wildws/abi.hpp>
#include <wildws/config.hpp>
#include <wildws/export.hpp>

#include <string>
#include <vector>

namespace wildws {

class Context;

struct PluginInfo {
    std::string name;        // [a-z0-9_-]+, equal to the file's wildws-<name>.so
    std::string version;     // the plugin's own version, free text ("1.2.0")
    std::string description; // one line, shown by `wildws plugins`
    /// Every key this plugin reads from [plugin.<name>] (besides `enabled`,
    /// which the host reads). Declared keys let the host warn about unknown
    /// ones; leave it empty and the section's keys are not checked.
    std::vector<ConfigKey> configKeys = {};
};

class WILDWS_EXPORT Plugin {
public:
    virtual ~Plugin();
    virtual PluginInfo info() const = 0;
    /// The only place a plugin may register anything. `ctx` is valid only
    /// until setup() returns; keep ctx.services() or ctx.logger() instead.
    virtual void setup(Context& ctx) = 0;
    /// Stop whatever you started. Must not throw; a throw is logged.
    virtual void teardown() {}
};

} // namespace wildws

/// Declares the plugin class of this library: exports the ABI number the
/// plugin was compiled against and the factory. Use it once, at namespace
/// scope, in one .cpp file.
#define WILDWS_PLUGIN(PluginClass)                                                    \
    extern "C" WILDWS_EXPORT const std::uint32_t wildws_abi_version = WILDWS_SDK_ABI_VERSION; \
    extern "C" WILDWS_EXPORT ::wildws::Plugin* wildws_create_plugin() { return new PluginClass(); }
