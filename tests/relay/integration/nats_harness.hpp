// The relay integration tests' pieces: a real nats-server on a free port
// with its own config and JetStream store (killed with its process group in
// every path, by wt::Child), installs (a home + a daemon with [plugin.relay])
// and an engineer running `wildws remote`. The broker users follow
// examples/relay/nats-server.conf: installs confined to wildws.<id>.> and
// their own inbox, support users to their own inbox prefix.
#pragma once

#include <harness.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rt {

/// The user blocks of examples/relay/nats-server.conf.
std::string installUser(const std::string& id, const std::string& password);
std::string supportUser(const std::string& name, const std::string& password);
/// A user of the same broker with no rights on any install.
std::string outsiderUser(const std::string& name, const std::string& password);

class NatsServer {
public:
    explicit NatsServer(std::vector<std::string> userBlocks);
    /// A whole config (its listen line is replaced by a free loopback port,
    /// its store_dir by a temp dir).
    NatsServer(std::string config, bool wholeConfig);
    int port() const { return port_; }
    std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
    /// Starts it and waits until it takes connections.
    void start();
    /// SIGTERM, then waits for it to exit (SIGKILL after 10 s).
    void stop();
    std::string log() const;
    const std::string& configPath() const { return conf_; }

private:
    wt::TempDir dir_;
    int port_ = 0;
    std::string conf_;
    std::unique_ptr<wt::Child> child_;
};

/// Polls `ok` every 50 ms until true or `limit`.
bool waitFor(const std::function<bool()>& ok, std::chrono::milliseconds limit = std::chrono::seconds(20));

/// A home whose daemon relays through the broker as user install-<id>.
class Install {
public:
    /// Makes the home and its install id; the broker is not needed yet.
    Install();
    const std::string& id() const { return id_; }
    const std::string& password() const { return password_; }
    std::string userBlock() const { return installUser(id_, password_); }
    st::Home& home() { return home_; }
    /// Appends [plugin.relay] (url, user, password_file, plus `extra` lines).
    void configure(const std::string& url, const std::string& extra = "");
    /// Starts the daemon and turns operator access on; waits until connected.
    void startDaemon(bool waitConnected = true);
    void stopDaemon() { daemon_.reset(); }
    wt::Server& daemon() { return *daemon_; }
    const std::string& token() const { return token_; }
    std::string tokenFile() const { return home_ / "../operator-token"; }
    /// `wildws relay status --json`, parsed.
    st::Json status() const;
    bool connected() const { return st::flag(status(), "connected"); }

private:
    st::Home home_;
    std::string id_;
    std::string password_;
    std::string token_;
    std::unique_ptr<wt::Server> daemon_;
};

/// The support engineer: a home of its own and `wildws remote`.
class Engineer {
public:
    Engineer(std::string user, std::string password);
    std::string userBlock() const { return supportUser(user_, password_); }
    /// `wildws remote <args> --url --user --password-file` (plus `--install`
    /// and `--operator-token-file` when given).
    wt::Result remote(const std::vector<std::string>& args, const std::string& url, const Install* install,
                      const wt::RunOptions& options = {}) const;
    std::vector<std::string> argv(const std::vector<std::string>& args, const std::string& url,
                                  const Install* install) const;
    const std::string& user() const { return user_; }
    const std::string& home() const { return home_; }

private:
    wt::TempDir dir_;
    std::string home_;
    std::string user_;
    std::string password_;
    std::string passwordFile_;
};

} // namespace rt
