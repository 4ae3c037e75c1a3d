#include "daemon.hpp"

#include "audit_chain.hpp"
#include "nats_options.hpp"
#include "state_files.hpp"
#include "wire.hpp"

#include <wildws/services/consent.hpp>
#include <wildws/services/support_actions.hpp>
#include <wildws/common/json.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dir_watch.hpp"

namespace wildws::relay {
namespace {

constexpr int kMaxWorkers = 16;
constexpr auto kDaemonHeartbeat = std::chrono::seconds(3);

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string header(natsMsg* msg, const char* name) {
    const char* v = nullptr;
    if (natsMsgHeader_Get(msg, name, &v) == NATS_OK && v) return v;
    return "";
}

bool validStreamId(const std::string& s) {
    return s.size() >= 16 && s.size() <= 64 &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
}

/// Printable ASCII only, cut: these strings come from the network.
std::string printable(const std::string& s, std::size_t max) {
    std::string out;
    for (unsigned char c : s)
        if (c >= 0x20 && c < 0x7f && out.size() < max) out += static_cast<char>(c);
    return out;
}

/// "_INBOX.alice" of "_INBOX.alice.Nuid.3": the prefix a broker can confine to one user.
std::string inboxOf(const std::string& reply) {
    auto last = reply.rfind('.');
    if (last == std::string::npos) return reply;
    auto prev = reply.rfind('.', last - 1);
    // nats.c request inboxes are <prefix>.<nuid>.<n>; ours are <prefix>.<nuid>.
    std::string prefix = reply.substr(0, last);
    if (prev != std::string::npos && reply.find_first_not_of("0123456789", last + 1) == std::string::npos)
        prefix = reply.substr(0, prev);
    return prefix;
}

void onMsgTrampoline(natsConnection* nc, natsSubscription*, natsMsg* msg, void* closure) {
    static_cast<Daemon*>(closure)->onMessage(nc, msg);
}
void onConnected(natsConnection* nc, void* closure) { static_cast<Daemon*>(closure)->onConnectionEvent(nc, "connected"); }
void onDisconnected(natsConnection* nc, void* closure) {
    static_cast<Daemon*>(closure)->onConnectionEvent(nc, "disconnected");
}
void onReconnected(natsConnection* nc, void* closure) {
    static_cast<Daemon*>(closure)->onConnectionEvent(nc, "reconnected");
}
void onClosed(natsConnection* nc, void* closure) { static_cast<Daemon*>(closure)->onConnectionEvent(nc, "closed"); }
void onError(natsConnection* nc, natsSubscription*, natsStatus err, void* closure) {
    static_cast<Daemon*>(closure)->onAsyncError(nc, err);
}

/// How the request arrived, for the audit: what the broker vouches for and
/// what is only claimed. nats-server sets Nats-Request-Info (replacing any
/// the client sent) when a request crosses accounts through a service import
/// with `share: true` (examples/relay/nats-server-accounts.conf); within one
/// account nothing names the sender, and such a header would be the
/// client's own, so it is labelled as the broker's report, not as proof.
std::string viaLine(const std::string& requestInfo, const std::string& inbox, const std::string& requester) {
    namespace json = wildws::common::json;
    std::string who;
    if (auto info = json::parseObject(requestInfo)) {
        auto user = json::getString(info, "user"), account = json::getString(info, "acc");
        if (user)
            who = "broker says nats user '" + printable(*user, 64) + "' of account '" + printable(account.value_or("?"), 64) +
                  "' (Nats-Request-Info, set by the server on a cross-account import)";
    }
    if (who.empty()) who = "nats-server names no sender within one account";
    return "via relay (" + who + "; reply inbox " + printable(inbox, 80) + "; requester says '" +
           (requester.empty() ? std::string("?") : requester) + "')";
}

} // namespace

std::string installSubject(const std::string& installId) { return "wildws." + installId + "."; }

Daemon::Daemon(DaemonConfig config, Services& services, std::shared_ptr<spdlog::logger> log)
    : config_(std::move(config)), services_(services), log_(std::move(log)) {
    // Which keys come from the ini itself (the rest are env/CLI overrides,
    // which keep their startup value when the file changes).
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
    try {
        if (!config_.configFile.empty() && ::access(config_.configFile.c_str(), R_OK) == 0)
            ini = new Poco::Util::IniFileConfiguration(config_.configFile);
    } catch (...) {
    }
    std::vector<std::string> watched = config_.startupKeys;
    for (auto* k : {"url", "creds", "nkey_seed", "user", "password_file", "token_file", "ca_file", "allow_insecure",
                    "requester_timeout_seconds", "password", "token", "nkey", "seed", "jwt"})
        watched.push_back(k);
    for (auto& k : watched) {
        std::optional<std::string> v;
        if (ini && ini->hasProperty("plugin.relay." + k)) v = ini->getRawString("plugin.relay." + k);
        startupFile_[k] = v;
    }
    settings_ = parseRelaySettings(config_.startupEffective);
    status_.installId = config_.installId;
    status_.configured = settings_.configured();
    status_.url = settings_.broker.displayUrl();
    if (!settings_.error.empty()) status_.lastError = settings_.error;
}

Daemon::~Daemon() { stop(); }

void Daemon::start() {
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!settings_.error.empty()) log_->error("{} - the relay stays off until it is fixed", settings_.error);
    // Unknown keys: the host warns, from PluginInfo::configKeys.
    control_ = std::thread([this] { controlLoop(); });
    audit_ = std::thread([this] { auditLoop(); });
}

void Daemon::stop() {
    if (stopping_.exchange(true)) return;
    wake();
    {
        std::lock_guard<std::mutex> lock(auditMutex_);
        auditKick_ = true;
    }
    auditCv_.notify_all();
    if (control_.joinable()) control_.join();
    if (audit_.joinable()) audit_.join();
    // The control loop disconnected, which cut every stream; give the
    // workers a moment to write their end and audit it.
    std::unique_lock<std::mutex> lock(streamsMutex_);
    workersDone_.wait_for(lock, std::chrono::seconds(5), [&] { return workers_ == 0; });
    if (wakeFd_ >= 0) ::close(wakeFd_);
    wakeFd_ = -1;
}

void Daemon::wake() {
    if (wakeFd_ < 0) return;
    std::uint64_t one = 1;
    (void)!::write(wakeFd_, &one, sizeof one);
}

bool Daemon::operatorOn() const {
    struct stat st {};
    return ::lstat((config_.home + "/operator.json").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void Daemon::reloadSettings() {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
    try {
        if (::access(config_.configFile.c_str(), R_OK) == 0) ini = new Poco::Util::IniFileConfiguration(config_.configFile);
    } catch (const std::exception& e) {
        log_->warn("{}: cannot read it again ({}); keeping the relay settings", config_.configFile, e.what());
        return;
    }
    KeyLookup get = [&](const std::string& key) -> std::optional<std::string> {
        auto at = startupFile_.find(key);
        if (at != startupFile_.end() && config_.startupEffective(key) != at->second) return config_.startupEffective(key);
        if (ini && ini->hasProperty("plugin.relay." + key)) return ini->getRawString("plugin.relay." + key);
        return std::nullopt;
    };
    auto next = parseRelaySettings(get);
    bool reconnect = false;
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        const auto& a = next.broker;
        const auto& b = settings_.broker;
        const bool changed = a.url != b.url || next.error != settings_.error || a.credsFile != b.credsFile ||
                             a.nkeySeedFile != b.nkeySeedFile || a.user != b.user || a.passwordFile != b.passwordFile ||
                             a.tokenFile != b.tokenFile || a.caFile != b.caFile || a.allowInsecure != b.allowInsecure ||
                             next.requesterTimeoutSeconds != settings_.requesterTimeoutSeconds;
        if (!changed) return;
        if (!next.error.empty()) log_->error("{} - the relay stays off until it is fixed", next.error);
        settings_ = next;
        connectFailed_ = false;
        reconnect = link_ != nullptr;
    }
    markStatus([&](RelayState& s) {
        s.configured = next.configured();
        s.url = next.broker.displayUrl();
        s.lastError = next.error;
    });
    // New settings: drop the old connection; reevaluate() makes the new one.
    if (reconnect) disconnect(next.broker.url.empty() ? "the relay url was removed" : "the relay settings changed");
}

void Daemon::controlLoop() {
    std::unique_ptr<DirWatch> watch;
    try {
        watch = std::make_unique<DirWatch>();
        watch->watch(config_.home, "operator.json");
        watch->watch(config_.home, "support-audit.jsonl");
        if (!config_.configFile.empty()) {
            auto slash = config_.configFile.rfind('/');
            std::string dir = slash == std::string::npos ? "." : config_.configFile.substr(0, std::max<std::size_t>(slash, 1));
            watch->watch(dir, config_.configFile.substr(slash + 1));
        }
    } catch (const std::exception& e) {
        // Without inotify we look every second instead.
        log_->warn("relay: {} - checking operator access every second instead", e.what());
        watch.reset();
    }
    for (;;) {
        reevaluate();
        writeStatusNow();
        if (stopping_) break;
        bool active;
        {
            std::lock_guard<std::mutex> lock(streamsMutex_);
            active = !streams_.empty();
        }
        int timeout = -1;
        if (!watch) timeout = 1000;
        if (active) timeout = static_cast<int>(std::chrono::milliseconds(kDaemonHeartbeat).count());
        if (connectFailed_) timeout = timeout < 0 ? 10000 : std::min(timeout, 10000);
        pollfd fds[2] = {{wakeFd_, POLLIN, 0}, {watch ? watch->fd() : -1, POLLIN, 0}};
        int n = ::poll(fds, watch ? 2 : 1, timeout);
        if (n < 0 && errno != EINTR) break;
        if (fds[0].revents & POLLIN) {
            std::uint64_t v;
            (void)!::read(wakeFd_, &v, sizeof v);
        }
        if (watch && (fds[1].revents & POLLIN)) {
            for (auto& path : watch->drain()) {
                if (path == config_.configFile) reloadSettings();
                else if (path == config_.home + "/support-audit.jsonl") kickAudit();
            }
        }
        sendHeartbeats();
    }
    disconnect("the daemon is stopping");
    writeStatusNow();
}

void Daemon::reevaluate() {
    bool want;
    bool have;
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        want = !stopping_ && settings_.configured() && operatorOn();
        have = link_ != nullptr;
    }
    if (want && !have) connect();
    else if (!want && have)
        disconnect(stopping_ ? "the daemon is stopping"
                   : operatorOn() ? "the relay url was removed"
                                  : "operator access was turned off (wildws operator disable)");
}

void Daemon::connect() {
    RelaySettings s;
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        s = settings_;
    }
    auto link = std::make_shared<Link>();
    try {
        ConnectionPolicy policy;
        policy.name = "wildws-daemon " + config_.installId;
        policy.inboxPrefix = "_INBOX." + config_.installId;
        policy.reconnectForever = true;
        auto opts = makeOptions(s.broker, policy);
        natsOptions_SetRetryOnFailedConnect(opts.get(), true, onConnected, this);
        natsOptions_SetDisconnectedCB(opts.get(), onDisconnected, this);
        natsOptions_SetReconnectedCB(opts.get(), onReconnected, this);
        natsOptions_SetClosedCB(opts.get(), onClosed, this);
        natsOptions_SetErrorHandler(opts.get(), onError, this);
        natsStatus st = natsConnection_Connect(&link->nc, opts.get());
        if (st != NATS_OK && st != NATS_NOT_YET_CONNECTED) throw std::runtime_error("cannot connect to " + s.broker.displayUrl() + ": " + natsError(st));
        const std::string base = installSubject(config_.installId);
        for (auto subject : {base + "actions", base + "action.*", base + "stream.*"}) {
            natsSubscription* sub = nullptr;
            st = natsConnection_Subscribe(&sub, link->nc, subject.c_str(), onMsgTrampoline, this);
            if (st != NATS_OK) throw std::runtime_error("cannot subscribe to " + subject + ": " + natsError(st));
            link->subs.push_back(sub);
        }
        jsOptions jo;
        jsOptions_Init(&jo);
        jo.Wait = 5000;
        natsConnection_JetStream(&link->js, link->nc, &jo);
        {
            std::lock_guard<std::mutex> lock(linkMutex_);
            link_ = link;
            connectFailed_ = false;
        }
        log_->info("relay: connecting to {} as install {} (operator access is on)", s.broker.displayUrl(), config_.installId);
        // The connected callback may have fired before link_ was set (and was
        // ignored then): look once more now that it is.
        if (natsConnection_Status(link->nc) == NATS_CONN_STATUS_CONNECTED) onConnectionEvent(link->nc, "connected");
    } catch (const std::exception& e) {
        link->close("connect failed");
        log_->error("relay: {}", e.what());
        {
            std::lock_guard<std::mutex> lock(linkMutex_);
            connectFailed_ = true;
        }
        markStatus([&](RelayState& st) {
            st.connected = false;
            st.lastError = e.what();
        });
    }
}

void Daemon::disconnect(const std::string& why) {
    std::shared_ptr<Link> link;
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        link = std::move(link_);
        link_.reset();
        auditStreamReady_ = false;
    }
    if (!link) return;
    {
        std::lock_guard<std::mutex> lock(streamsMutex_);
        for (auto& [id, a] : streams_)
            if (a.link == link) a.control->cancel(why);
    }
    link->close(why);
    log_->info("relay: disconnected ({})", why);
    markStatus([&](RelayState& s) { s.connected = false; });
}

void Daemon::onConnectionEvent(natsConnection* nc, const char* what) {
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        if (!link_ || link_->nc != nc) return; // an old connection closing
    }
    const std::string w = what;
    if (w == "connected" || w == "reconnected") {
        log_->info("relay: {} to the broker", w);
        markStatus([&](RelayState& s) {
            s.connected = true;
            if (w == "reconnected") ++s.reconnects;
        });
        kickAudit();
    } else if (w == "disconnected") {
        log_->warn("relay: lost the connection to the broker; reconnecting");
        markStatus([&](RelayState& s) {
            s.connected = false;
            s.lastError = "lost the connection to the broker";
        });
        // Streams see it through closed(): nothing runs on for nobody.
        std::lock_guard<std::mutex> lock(streamsMutex_);
        for (auto& [id, a] : streams_) a.control->cancel("the connection to the broker was lost");
    } else if (w == "closed") {
        markStatus([&](RelayState& s) { s.connected = false; });
    }
    wake();
}

void Daemon::onAsyncError(natsConnection* nc, natsStatus err) {
    const char* text = nullptr;
    if (nc) natsConnection_GetLastError(nc, &text);
    std::string line = std::string(natsStatus_GetText(err)) + (text && *text ? std::string(": ") + text : "");
    log_->error("relay: the broker reported: {}", line);
    markStatus([&](RelayState& s) { s.lastError = line; });
    wake();
}

void Daemon::markStatus(const std::function<void(RelayState&)>& change) {
    std::lock_guard<std::mutex> lock(statusMutex_);
    change(status_);
    statusDirty_ = true;
}

void Daemon::writeStatusNow() {
    StatusRecord r;
    {
        std::lock_guard<std::mutex> lock(statusMutex_);
        if (!statusDirty_) return;
        statusDirty_ = false;
        r.state = status_;
    }
    r.pid = ::getpid();
    r.updatedAt = nowMs();
    try {
        writeStatus(config_.home, r);
    } catch (const std::exception& e) {
        log_->warn("relay: cannot write the status file: {}", e.what());
    }
}

void Daemon::onMessage(natsConnection* nc, natsMsg* msg) {
    std::shared_ptr<Link> link;
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        if (link_ && link_->nc == nc) link = link_;
    }
    const std::string subject = natsMsg_GetSubject(msg);
    const std::string streamPrefix = installSubject(config_.installId) + "stream.";
    if (!link || stopping_) {
        natsMsg_Destroy(msg);
        return;
    }
    if (subject.rfind(streamPrefix, 0) == 0) {
        handleStreamMessage(subject.substr(streamPrefix.size()), msg);
        natsMsg_Destroy(msg);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(streamsMutex_);
        ++workers_;
    }
    // Actions block (a stream can last minutes): never on nats.c's thread.
    std::thread([this, link, msg] {
        try {
            handleRequest(link, msg);
        } catch (const std::exception& e) {
            log_->error("relay: a request failed: {}", e.what());
        }
        natsMsg_Destroy(msg);
        std::lock_guard<std::mutex> lock(streamsMutex_);
        --workers_;
        workersDone_.notify_all();
    }).detach();
}

void Daemon::handleStreamMessage(const std::string& streamId, natsMsg* msg) {
    std::lock_guard<std::mutex> lock(streamsMutex_);
    auto it = streams_.find(streamId);
    if (it == streams_.end()) return;
    std::string body(natsMsg_GetData(msg) ? natsMsg_GetData(msg) : "", static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
    if (body == wire::kCancelBody) it->second.control->cancel("the requester cancelled it");
    else it->second.control->heartbeat();
}

void Daemon::sendHeartbeats() {
    std::vector<Active> active;
    {
        std::lock_guard<std::mutex> lock(streamsMutex_);
        for (auto& [id, a] : streams_) active.push_back(a);
    }
    for (auto& a : active) a.link->publish(a.reply, "", {{wire::kKind, wire::kHeartbeat}});
}

void Daemon::handleRequest(std::shared_ptr<Link> link, natsMsg* msg) {
    const char* replyRaw = natsMsg_GetReply(msg);
    if (!replyRaw || !*replyRaw) return; // nowhere to answer: a request needs a reply subject
    const std::string reply = replyRaw;
    const std::string subject = natsMsg_GetSubject(msg);
    const std::string base = installSubject(config_.installId);
    const bool isList = subject == base + "actions";
    const std::string name = isList ? "actions" : subject.substr((base + "action.").size());

    int timeoutS;
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        timeoutS = settings_.requesterTimeoutSeconds;
    }
    auto control = std::make_shared<StreamControl>(std::chrono::seconds(timeoutS));
    RelayedResponse res(link, reply, control);
    res.accepted(std::chrono::milliseconds(timeoutS * 1000 / 3));

    const std::string requester = printable(header(msg, wire::kRequester), 64);
    markStatus([&](RelayState& s) {
        s.lastRequestAt = nowMs();
        s.lastAction = name;
        s.lastRequester = requester;
    });
    wake();

    auto finishWith = [&](int status, const std::string& code, const std::string& message) {
        res.error(status, code, message);
        res.finish();
    };
    int busy;
    {
        std::lock_guard<std::mutex> lock(streamsMutex_);
        busy = workers_;
    }
    if (busy > kMaxWorkers) return finishWith(429, "busy", "this install is answering too many relayed requests; try again");

    // The operator token, checked exactly as the host's Operator gate does.
    std::string auth = header(msg, wire::kAuthorization);
    std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
    auto consent = services_.find<Consent>();
    if (!consent || token.empty() || !consent->operatorTokenMatches(token))
        return finishWith(401, "operator-required",
                          "an operator token is required: the owner runs 'wildws operator enable' and shares the token");
    auto gateway = services_.find<SupportActions>();
    if (!gateway) return finishWith(503, "no-support-api", "the support_api plugin is not loaded in this daemon");

    const std::string streamId = header(msg, wire::kStream);
    if (validStreamId(streamId)) {
        std::lock_guard<std::mutex> lock(streamsMutex_);
        streams_[streamId] = Active{control, link, reply};
    }
    const std::string via = viaLine(header(msg, "Nats-Request-Info"), inboxOf(reply), requester);
    if (isList) gateway->list(res);
    else {
        std::string body(natsMsg_GetData(msg) ? natsMsg_GetData(msg) : "",
                         static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
        gateway->run(name, body, via, res);
    }
    res.finish();
    {
        std::lock_guard<std::mutex> lock(streamsMutex_);
        streams_.erase(streamId);
    }
    if (res.streaming())
        if (auto cut = res.cutReason()) {
            log_->warn("relay: the {} stream for '{}' was cut: {}", name, requester, *cut);
            AuditEntry e;
            e.ts = nowMs();
            e.action = "relay-stream-cut";
            e.ok = false;
            e.actor = "relay";
            e.detail = name + " stream to " + printable(inboxOf(reply), 80) + " ended: " + *cut;
            if (!consent->append(e)) log_->error("relay: the audit feed could not record the cut stream");
        }
}

void Daemon::kickAudit() {
    {
        std::lock_guard<std::mutex> lock(auditMutex_);
        auditKick_ = true;
    }
    auditCv_.notify_all();
}

void Daemon::auditLoop() {
    bool retry = false;
    while (!stopping_) {
        {
            std::unique_lock<std::mutex> lock(auditMutex_);
            if (retry) auditCv_.wait_for(lock, std::chrono::seconds(15), [&] { return auditKick_; });
            else auditCv_.wait(lock, [&] { return auditKick_; });
            auditKick_ = false;
        }
        if (stopping_) break;
        std::shared_ptr<Link> link;
        {
            std::lock_guard<std::mutex> lock(linkMutex_);
            link = link_;
        }
        if (!link || !link->connected()) {
            retry = false; // the reconnect kicks us
            continue;
        }
        retry = !(ensureAuditStream(link) && pushAudit(link));
    }
}

bool Daemon::ensureAuditStream(const std::shared_ptr<Link>& link) {
    {
        std::lock_guard<std::mutex> lock(linkMutex_);
        if (auditStreamReady_) return true;
    }
    if (!link->js) return false;
    jsStreamInfo* si = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&si, link->js, wire::kAuditStream, nullptr, &jerr);
    if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
    } else if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
        jsStreamConfig cfg;
        jsStreamConfig_Init(&cfg);
        cfg.Name = wire::kAuditStream;
        const char* subjects[] = {wire::kAuditSubjects};
        cfg.Subjects = subjects;
        cfg.SubjectsLen = 1;
        cfg.Storage = js_FileStorage;
        cfg.Duplicates = static_cast<int64_t>(24) * 3600 * 1000000000LL; // a replay within a day is no duplicate
        cfg.DenyDelete = true;
        cfg.DenyPurge = true;
        cfg.AllowDirect = true;
        s = js_AddStream(&si, link->js, &cfg, nullptr, &jerr);
        if (s == NATS_OK) {
            jsStreamInfo_Destroy(si);
            log_->info("relay: created the JetStream stream {} (subjects {})", wire::kAuditStream, wire::kAuditSubjects);
        } else if (jerr != JSStreamNameExistErr) {
            log_->warn("relay: cannot create the audit stream {}: {} (jetstream error {})", wire::kAuditStream,
                       natsError(s), static_cast<int>(jerr));
            return false;
        }
    } else {
        log_->warn("relay: cannot look up the audit stream {}: {} (jetstream error {})", wire::kAuditStream,
                   natsError(s), static_cast<int>(jerr));
        return false;
    }
    std::lock_guard<std::mutex> lock(linkMutex_);
    auditStreamReady_ = true;
    return true;
}

bool Daemon::pushAudit(const std::shared_ptr<Link>& link) {
    const std::string path = config_.home + "/support-audit.jsonl";
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT;
    struct stat st {};
    ::fstat(fd, &st);
    AuditCursor cursor = readCursor(config_.home);
    if (cursor.offset > st.st_size) cursor = {}; // the feed was replaced: copy it again (ids dedup)
    // At most 4 MiB a round (a long feed's first copy): the rest next round.
    constexpr std::size_t kRound = 4 << 20;
    std::string text;
    bool more = false;
    if (::lseek(fd, cursor.offset, SEEK_SET) == cursor.offset) {
        char buf[65536];
        ssize_t n;
        while (text.size() < kRound && (n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
        more = text.size() >= kRound;
    }
    ::close(fd);
    const std::string subject = "wildws.audit." + config_.installId;
    std::size_t pos = 0;
    bool first = true;
    int sent = 0;
    bool ok = true;
    while (!stopping_) {
        auto nl = text.find('\n', pos);
        if (nl == std::string::npos) break; // an incomplete last line waits
        std::string line = text.substr(pos, nl - pos);
        auto fields = auditLineFields(line);
        if (first && cursor.offset > 0 && (!fields || fields->prev != cursor.hash)) {
            // The line after our cursor does not follow what we sent: start over.
            log_->warn("relay: the audit feed changed under the fleet copy's cursor; copying it again from the start");
            writeCursor(config_.home, {});
            kickAudit();
            return true;
        }
        first = false;
        if (fields) {
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MsgId = fields->hash.c_str();
            jsPubAck* ack = nullptr;
            jsErrCode jerr = static_cast<jsErrCode>(0);
            natsStatus s = js_Publish(&ack, link->js, subject.c_str(), line.data(), static_cast<int>(line.size()), &po, &jerr);
            if (ack) jsPubAck_Destroy(ack);
            if (s != NATS_OK) {
                log_->warn("relay: the fleet audit copy stopped at {}: {}", cursor.offset, natsError(s));
                ok = false;
                break;
            }
            cursor.hash = fields->hash;
        }
        cursor.offset += static_cast<std::int64_t>(nl - pos + 1);
        pos = nl + 1;
        if (++sent % 64 == 0) writeCursor(config_.home, cursor);
    }
    if (sent) writeCursor(config_.home, cursor);
    if (ok && more) kickAudit();
    return ok;
}

} // namespace wildws::relay
