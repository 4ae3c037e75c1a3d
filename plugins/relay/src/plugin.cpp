// The relay plugin: the Relay service and the `relay` / `remote` commands in
// every process; in the daemon, the NATS connection that lets support reach
// this install from outside (off unless configured and operator access is on).
#include "commands.hpp"
#include "daemon.hpp"
#include "nats_options.hpp"
#include "relay_service.hpp"
#include "state_files.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <spdlog/spdlog.h>

namespace wildws::relay {

class RelayPlugin : public Plugin {
public:
    PluginInfo info() const override {
        return {"relay",
                "0.1.0",
                "support reaches this install through a NATS broker (the daemon dials out); 'wildws remote' is "
                "support's side",
                {{"url", "", "the broker, nats://host:4222 or tls://host:4222 (unset: the relay is off)"},
                 {"creds", "", "a NATS creds file (0600)"},
                 {"nkey_seed", "", "a NATS user nkey seed file (0600)"},
                 {"user", "", "the NATS user (with password_file)"},
                 {"password_file", "", "a 0600 file holding the NATS password"},
                 {"token_file", "", "a 0600 file holding a NATS token"},
                 {"ca_file", "", "CA certificates for the broker's TLS (turns TLS on)"},
                 {"allow_insecure", "false", "allow a non-loopback nats:// url without TLS"},
                 {"requester_timeout_seconds", "15", "a relayed stream whose requester is silent this long is cancelled"}}};
    }

    void setup(Context& ctx) override {
        const Config& config = ctx.config();
        KeyLookup get = [&config](const std::string& key) { return config.get(key); };
        auto settings = parseRelaySettings(get);
        auto service = std::make_shared<RelayService>(ctx.host().home, settings);
        ctx.provide<Relay>(service);
        for (auto& spec : commandSpecs(service, ctx.host())) ctx.command(std::move(spec));
        if (ctx.host().role != Role::Daemon) return;

        DaemonConfig dc;
        dc.home = ctx.host().home;
        dc.configFile = ctx.host().configFile;
        try {
            dc.installId = loadOrCreateInstallId(dc.home);
        } catch (const std::exception& e) {
            ctx.logger()->error("relay: {} - the relay stays off", e.what());
            return;
        }
        // The daemon re-reads the ini when it changes; keep what setup saw.
        std::map<std::string, std::optional<std::string>> startup;
        for (auto& k : config.keys()) startup[k] = config.get(k);
        for (auto* k : {"url", "creds", "nkey_seed", "user", "password_file", "token_file", "ca_file", "allow_insecure",
                        "requester_timeout_seconds", "password", "token", "nkey", "seed", "jwt"})
            startup.emplace(k, config.get(k));
        dc.startupEffective = [startup](const std::string& key) -> std::optional<std::string> {
            auto it = startup.find(key);
            return it == startup.end() ? std::nullopt : it->second;
        };
        dc.startupKeys = config.keys();
        daemon_ = std::make_unique<Daemon>(std::move(dc), ctx.services(), ctx.logger());
        daemon_->start();
    }

    void teardown() override {
        if (daemon_) daemon_->stop();
        daemon_.reset();
        shutdownNats();
    }

private:
    std::unique_ptr<Daemon> daemon_;
};

} // namespace wildws::relay

WILDWS_PLUGIN(wildws::relay::RelayPlugin)
