// The daemon side of the relay: connects to the broker only while operator
// access is on (operator.json exists) and [plugin.relay] url is set, and
// answers support's requests from it through the SupportActions service
// (the same code as the daemon's HTTP action routes). One control thread
// watches the files and owns the connection; each request runs on a worker
// thread of its own; the fleet audit copy runs on a thread of its own. No
// HTTP path, command or page ever waits on the broker.
#pragma once

#include "link.hpp"
#include "relayed_response.hpp"
#include "settings.hpp"

#include <wildws/context.hpp>
#include <wildws/services/relay.hpp>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace spdlog {
class logger;
}

namespace wildws::relay {

struct DaemonConfig {
    std::string home;
    std::string configFile; // the wildws.ini in use ("" for none): re-read when it changes
    std::string installId;
    KeyLookup startupEffective;  // ctx.config() at setup (env/CLI overrides applied)
    std::vector<std::string> startupKeys;
};

class Daemon {
public:
    Daemon(DaemonConfig config, Services& services, std::shared_ptr<spdlog::logger> log);
    ~Daemon();
    void start();
    /// Cancels relayed streams, disconnects, joins the threads.
    void stop();

    // nats.c callbacks (public for the C trampolines).
    void onMessage(natsConnection* nc, natsMsg* msg);
    void onConnectionEvent(natsConnection* nc, const char* what);
    void onAsyncError(natsConnection* nc, natsStatus err);

private:
    void controlLoop();
    void reevaluate();
    void connect();
    void disconnect(const std::string& why);
    void reloadSettings();
    bool operatorOn() const;
    void handleRequest(std::shared_ptr<Link> link, natsMsg* msg);
    void handleStreamMessage(const std::string& streamId, natsMsg* msg);
    void sendHeartbeats();
    void wake();
    void markStatus(const std::function<void(RelayState&)>& change);
    void writeStatusNow();
    void auditLoop();
    bool pushAudit(const std::shared_ptr<Link>& link);
    bool ensureAuditStream(const std::shared_ptr<Link>& link);
    void kickAudit();

    DaemonConfig config_;
    Services& services_;
    std::shared_ptr<spdlog::logger> log_;

    std::thread control_;
    std::thread audit_;
    int wakeFd_ = -1;
    std::atomic<bool> stopping_{false};

    std::mutex linkMutex_;
    std::shared_ptr<Link> link_;
    RelaySettings settings_;
    std::map<std::string, std::optional<std::string>> startupFile_; // the ini's own values at setup
    bool connectFailed_ = false;

    std::mutex statusMutex_;
    RelayState status_;
    bool statusDirty_ = true;

    struct Active {
        std::shared_ptr<StreamControl> control;
        std::shared_ptr<Link> link;
        std::string reply;
    };
    std::mutex streamsMutex_;
    std::map<std::string, Active> streams_; // by the requester's stream id
    std::condition_variable workersDone_;
    int workers_ = 0;

    std::mutex auditMutex_;
    std::condition_variable auditCv_;
    bool auditKick_ = false;
    bool auditStreamReady_ = false;
};

/// The subject prefix of an install: "wildws.<id>."
std::string installSubject(const std::string& installId);

} // namespace wildws::relay
