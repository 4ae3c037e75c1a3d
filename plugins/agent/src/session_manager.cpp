#include "session_manager.hpp"

#include "backends.hpp"
#include "child_env.hpp"
#include "signin.hpp"
#include <wildws/common/text.hpp>

#include <wildws/secure.hpp>
#include <wildws/services/activity.hpp>

#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <sstream>
#include <thread>

namespace wildws::agent {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kKeepFinished = std::chrono::minutes(10);
constexpr std::size_t kMaxFinished = 64;

/// Full detection (with the version) for listing.
AgentDetection safeDetect(AgentBackend& b) {
    try {
        return b.detect();
    } catch (const std::exception& e) {
        AgentDetection d;
        d.reason = std::string("its detect() failed: ") + e.what();
        return d;
    }
}

/// Enough to start a run: our backends skip the `--version` probe.
AgentDetection safeLocate(AgentBackend& b) {
    if (auto* ours = dynamic_cast<Locatable*>(&b)) {
        try {
            return ours->locate();
        } catch (const std::exception&) {
        }
    }
    return safeDetect(b);
}

std::string serverCwd() {
    char* cwd = ::getcwd(nullptr, 0);
    std::string out = cwd ? cwd : "/";
    std::free(cwd);
    return out;
}

bool isDirectory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void fail(AgentStartError& e, int status, std::string code, std::string message) {
    e.status = status;
    e.code = std::move(code);
    e.message = std::move(message);
}

std::string notInstalled(const std::string& name, const AgentDetection& d) {
    std::string m = name + " is not available: " + (d.reason.empty() ? "not found" : d.reason);
    if (!d.installHint.empty()) m += " - " + d.installHint;
    return m;
}

} // namespace

SessionManager::SessionManager(Services& services, AgentSettings settings, std::string home,
                               std::shared_ptr<spdlog::logger> log)
    : services_(services), settings_(std::move(settings)), log_(log), store_(home + "/sessions", log) {}

SessionManager::~SessionManager() { shutdown(); }

std::optional<SessionManager::Resolved> SessionManager::resolve(const std::string& agentId, AgentStartError& error) {
    auto all = services_.all<AgentBackend>();
    std::string want = agentId.empty() ? settings_.defaultAgent : agentId;
    if (!want.empty()) {
        std::string known;
        for (auto& b : all) {
            if (b->id() == want) {
                auto d = safeLocate(*b);
                if (!d.found) {
                    fail(error, 503, "agent-not-installed", notInstalled(b->displayName(), d));
                    return std::nullopt;
                }
                return Resolved{b, d};
            }
            known += (known.empty() ? "" : ", ") + b->id();
        }
        if (agentId.empty())
            fail(error, 503, "no-agent", "[plugin.agent] default_agent = " + want + " is not a known agent (known: " + known + ")");
        else
            fail(error, 400, "unknown-agent", "unknown agent '" + want + "'; known agents: " + known);
        return std::nullopt;
    }
    std::string hints;
    for (auto& b : all) {
        auto d = safeLocate(*b);
        if (d.found) return Resolved{b, d};
        if (!d.installHint.empty()) hints += (hints.empty() ? "" : "; ") + b->displayName() + ": " + d.installHint;
    }
    fail(error, 503, "no-agent", "no coding agent is installed. " + (hints.empty() ? std::string("Install one.") : hints));
    return std::nullopt;
}

std::vector<BackendRow> SessionManager::backends() {
    std::vector<BackendRow> rows;
    bool haveDefault = false;
    for (auto& b : services_.all<AgentBackend>()) {
        BackendRow r;
        r.id = b->id();
        r.name = b->displayName();
        r.detection = safeDetect(*b);
        r.canResume = b->canResume();
        r.caps = b->capabilities();
        r.protocol = r.caps.interactive ? "interactive" : "one-shot";
        if (auto* ours = dynamic_cast<Locatable*>(b.get())) r.protocol = ours->protocolName(r.detection);
        bool wanted = settings_.defaultAgent.empty() || settings_.defaultAgent == r.id;
        if (!haveDefault && r.detection.found && wanted) r.isDefault = haveDefault = true;
        rows.push_back(std::move(r));
    }
    std::vector<std::string> found;
    for (auto& r : rows)
        if (r.detection.found) found.push_back(r.id);
    auto signins = signinOfAll(services_, found); // the probes run side by side
    for (auto& r : rows)
        if (auto it = signins.find(r.id); it != signins.end()) {
            r.signedIn = it->second.signedIn;
            r.signInHint = it->second.hint;
        }
    return rows;
}

std::shared_ptr<AgentSession> SessionManager::start(const AgentRequest& request, const std::string& agentId,
                                                    AgentStartError& error) {
    auto started = startTurn(request, agentId, StartOptions{}, error);
    if (!started) return nullptr;
    return started->session;
}

std::optional<Started> SessionManager::startTurn(AgentRequest request, const std::string& agentId,
                                                 const StartOptions& options, AgentStartError& error) {
    error = AgentStartError{};
    if (common::trim(request.prompt).empty()) {
        fail(error, 400, "empty-prompt", "the prompt is empty");
        return std::nullopt;
    }
    if (request.prompt.find('\0') != std::string::npos) {
        fail(error, 400, "bad-prompt", "the prompt contains a NUL character");
        return std::nullopt;
    }
    std::optional<ConversationMeta> meta;
    const std::string& conv = options.conversationId;
    if (!conv.empty()) {
        if (!ConversationStore::validId(conv)) {
            fail(error, 400, "bad-session-id", "a session id is 1-64 letters, digits, '-' or '_'");
            return std::nullopt;
        }
        meta = store_.load(conv);
        if (!meta) {
            fail(error, 404, "unknown-session", "no conversation '" + conv + "'");
            return std::nullopt;
        }
        if (running(conv)) {
            fail(error, 409, "session-busy", "a turn of this conversation is still running; wait for it or cancel it");
            return std::nullopt;
        }
        std::string mode = request.mode == AgentMode::Plan ? "plan" : "build";
        if (auto run = live(conv); run && run->live()) {
            auto* ls = dynamic_cast<LiveSession*>(run.get());
            bool same = ls && (agentId.empty() || agentId == run->agent()) && ls->mode == mode &&
                        (request.cwd.empty() || request.cwd == ls->cwd);
            if (same) {
                if (auto out = followUp(conv, request, mode, options, error)) return out;
                if (error.status) return std::nullopt;
            } else {
                // Another agent, mode or directory: that process cannot take it.
                // End it; the turn below resumes the conversation in a new one.
                run->cancel("the next turn needs another agent, mode or directory");
                auto until = std::chrono::steady_clock::now() + settings_.killGrace + std::chrono::seconds(2);
                while (!run->exited() && std::chrono::steady_clock::now() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    }

    auto resolved = resolve(agentId.empty() && meta ? meta->agent : agentId, error);
    if (!resolved) return std::nullopt;
    auto& backend = *resolved->backend;
    if (auto line = signedOutLine(services_, backend.id())) { // answered at once, the agent not started
        fail(error, 503, "not-signed-in", *line);
        return std::nullopt;
    }
    AgentCapabilities caps = backend.capabilities();
    Started out;
    out.agentId = backend.id();
    if (!request.images.empty() && !caps.images) {
        fail(error, 400, "images-not-supported",
             backend.displayName() + " does not take images: remove the image, or ask an agent that does (Claude Code)");
        return std::nullopt;
    }

    if (meta) {
        if (out.agentId != meta->agent) {
            out.notice = "this conversation was with " + meta->agent + ": " + backend.displayName() +
                         " starts a fresh conversation";
        } else if (!backend.canResume()) {
            out.notice = backend.displayName() + " cannot resume a conversation: this prompt starts fresh";
        } else if (meta->resumeId.empty()) {
            out.notice = "the previous turn left no conversation id to resume: this prompt starts fresh";
        } else {
            request.resumeId = meta->resumeId;
            out.resumed = true;
        }
        if (!out.resumed) request.resumeId.clear();
        if (request.cwd.empty()) request.cwd = meta->cwd;
    }
    if (request.cwd.empty()) request.cwd = settings_.cwd.empty() ? serverCwd() : settings_.cwd;
    if (request.cwd[0] != '/' || !isDirectory(request.cwd)) {
        fail(error, 400, "bad-cwd", "the working directory '" + request.cwd + "' is not an existing absolute directory");
        return std::nullopt;
    }

    AgentLaunch launch;
    try {
        launch = backend.launch(request, resolved->detection);
    } catch (const std::exception& e) {
        fail(error, 500, "launch-failed", backend.displayName() + " cannot be launched: " + e.what());
        return std::nullopt;
    }
    if (launch.argv.empty() || launch.argv[0].empty() || launch.argv[0][0] != '/') {
        fail(error, 500, "launch-failed", backend.displayName() + " gave no absolute program path to run");
        return std::nullopt;
    }

    RunLimits limits;
    limits.stall = request.limits.stall.count() > 0 ? request.limits.stall : settings_.stall;
    limits.total = request.limits.total.count() > 0 ? request.limits.total : settings_.total;
    limits.killGrace = settings_.killGrace;
    limits.stderrMaxBytes = settings_.stderrMaxBytes;
    limits.maxLineBytes = settings_.maxLineBytes;
    if (auto* ours = dynamic_cast<Locatable*>(resolved->backend.get())) {
        auto keep = resolved->backend;
        limits.adviseOnStderr = [keep, ours](const std::string& text) { return ours->adviseOnStderr(text); };
    }

    SpawnOptions spec;
    spec.argv = launch.argv;
    spec.env = childEnvironment(launch.env, scrubPatterns(settings_.scrubEnv));
    spec.cwd = request.cwd;

    std::string mode = request.mode == AgentMode::Plan ? "plan" : "build";
    std::unique_ptr<AgentProtocol> protocol;
    if (caps.interactive) {
        try {
            protocol = backend.newProtocol(request);
        } catch (const std::exception& e) {
            fail(error, 500, "launch-failed", backend.displayName() + " cannot be launched: " + e.what());
            return std::nullopt;
        }
        if (!protocol) {
            fail(error, 500, "launch-failed", backend.displayName() + " says it is interactive but gave no protocol");
            return std::nullopt;
        }
    }
    std::lock_guard lock(m_);
    pruneLocked();
    if (shuttingDown_) {
        fail(error, 503, "shutting-down", "wildws is shutting down");
        return std::nullopt;
    }
    int runningNow = 0;
    for (auto& [id, live] : live_) runningNow += live.session->finished() ? 0 : 1;
    if (caps.interactive) {
        // Idle live agents hold memory: keep at most max_sessions processes,
        // ending the one idle longest.
        int alive = 0;
        for (auto& [lid, l] : live_) alive += l.session->exited() ? 0 : 1;
        while (alive >= settings_.maxSessions) {
            Live* oldest = nullptr;
            for (auto& [lid, l] : live_)
                if (l.session->live() && lid != conv && (!oldest || l.usedAt < oldest->usedAt)) oldest = &l;
            if (!oldest || !oldest->session->closeIfIdle()) break;
            --alive;
        }
    }
    if (runningNow >= settings_.maxSessions) {
        fail(error, 429, "too-many-sessions",
             std::to_string(runningNow) + " agents are already running (the limit is [plugin.agent] max_sessions = " +
                 std::to_string(settings_.maxSessions) + "); wait for one to finish or cancel one");
        return std::nullopt;
    }
    std::string id = conv;
    if (id.empty()) {
        do id = randomToken(12);
        while (live_.count(id) || store_.exists(id));
    } else if (auto it = live_.find(id); it != live_.end() && !it->second.session->exited()) {
        fail(error, 409, "session-busy", "a turn of this conversation is still running; wait for it or cancel it");
        return std::nullopt;
    }

    auto slot = std::make_shared<RecorderSlot>();
    auto log = log_;
    ChunkSink sink = [slot, log, id](const std::vector<Chunk>& batch) {
        std::lock_guard lock(slot->m);
        if (slot->recorder) slot->recorder->append(batch);
        for (auto& c : batch)
            if (c.type == "end") {
                if (log) log->info("session {} turn ended: code {}, {}", id, c.code, c.reason);
                slot->recorder.reset(); // fsynced at `end`; the next turn brings its own
            }
    };
    std::shared_ptr<RunSession> session;
    std::shared_ptr<ProcessSession> oneShot;
    std::shared_ptr<LiveSession> liveRun;
    if (caps.interactive) {
        LiveLimits ll;
        ll.idle = settings_.idle;
        ll.handshake = settings_.handshake;
        ll.permissionTimeout = settings_.permissionTimeout;
        liveRun = std::make_shared<LiveSession>(id, out.agentId, std::move(protocol), limits, ll, sink,
                                                [this, id](const Chunk& c) { publish(id, c); });
        liveRun->mode = mode;
        liveRun->cwd = request.cwd;
        session = liveRun;
    } else {
        oneShot = std::make_shared<ProcessSession>(id, out.agentId, backend.newParser(), limits, sink);
        session = oneShot;
    }
    if (options.persist && settings_.persist) {
        try {
            TurnInfo turn{request.prompt, out.agentId, mode, request.cwd, out.resumed, out.notice};
            slot->recorder = store_.beginTurn(id, turn);
        } catch (const std::exception& e) {
            fail(error, 500, "store-failed", std::string("cannot record the conversation: ") + e.what());
            return std::nullopt;
        }
    }
    auto recorder = slot->recorder;
    try {
        if (liveRun) liveRun->spawn(spec, request);
        else oneShot->spawn(spec, launch.stdinText);
    } catch (const std::exception& e) {
        if (recorder) {
            Chunk err, end;
            err.type = "error";
            err.message = e.what();
            end.type = "end";
            end.code = -1;
            end.reason = "spawn-failed";
            recorder->append({err, end});
        }
        fail(error, 500, "spawn-failed", e.what());
        return std::nullopt;
    }
    if (log_)
        log_->info("session {} started: {} ({}), mode {}, cwd {}, prompt {} bytes{}", id, out.agentId,
                   resolved->detection.path, mode, request.cwd, request.prompt.size(), out.resumed ? ", resumed" : "");
    if (auto it = live_.find(id); it != live_.end()) {
        if (it->second.thread.joinable()) it->second.thread.join(); // finished: returns at once
        live_.erase(it);
    }
    Live live;
    live.session = session;
    live.slot = slot;
    live.usedAt = Clock::now();
    live.thread = std::thread([session] { session->run(); });
    live_.emplace(id, std::move(live));
    out.session = session;
    return out;
}

std::shared_ptr<AgentSession> SessionManager::find(const std::string& sessionId) {
    std::lock_guard lock(m_);
    pruneLocked();
    auto it = live_.find(sessionId);
    return it == live_.end() ? nullptr : it->second.session;
}

std::optional<Started> SessionManager::followUp(const std::string& conv, const AgentRequest& request,
                                                const std::string& mode, const StartOptions& options,
                                                AgentStartError& error) {
    std::shared_ptr<LiveSession> run;
    std::shared_ptr<RecorderSlot> slot;
    {
        std::lock_guard lock(m_);
        auto it = live_.find(conv);
        if (it == live_.end()) return std::nullopt;
        run = std::dynamic_pointer_cast<LiveSession>(it->second.session);
        slot = it->second.slot;
        it->second.usedAt = Clock::now();
    }
    if (!run || !slot) return std::nullopt;
    if (!request.images.empty()) {
        for (auto& b : services_.all<AgentBackend>())
            if (b->id() == run->agent() && !b->capabilities().images) {
                fail(error, 400, "images-not-supported",
                     b->displayName() + " does not take images: remove the image, or ask an agent that does (Claude Code)");
                return std::nullopt;
            }
    }
    bool persist = options.persist && settings_.persist;
    std::string failure;
    bool sent = false;
    try {
        sent = run->send(request, [&] {
            std::lock_guard lock(slot->m);
            slot->recorder.reset();
            if (persist) {
                TurnInfo turn{request.prompt, run->agent(), mode, run->cwd, true, ""};
                slot->recorder = store_.beginTurn(conv, turn);
            }
        });
    } catch (const std::exception& e) {
        fail(error, 500, "store-failed", std::string("cannot record the conversation: ") + e.what());
        return std::nullopt;
    }
    if (!sent) return std::nullopt; // it went idle-closed meanwhile: respawn
    if (log_) log_->info("session {}: follow-up into the live {} process, prompt {} bytes", conv, run->agent(), request.prompt.size());
    Started out;
    out.session = run;
    out.agentId = run->agent();
    out.resumed = true;
    out.live = true;
    return out;
}

void SessionManager::publish(const std::string& conv, const Chunk& c) {
    std::shared_ptr<ActivityBus> bus;
    try {
        bus = services_.find<ActivityBus>();
    } catch (const std::exception&) {
    }
    if (!bus) return;
    auto o = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    std::string type;
    o->set("sessionId", conv);
    if (c.type == "permission" || c.type == "question") {
        type = "chat-permission";
        o->set("requestId", c.requestId);
        o->set("kind", c.type);
        o->set("tool", c.type == "question" ? std::string("AskUserQuestion") : c.name);
        o->set("title", c.title);
    } else if (c.type == "permission-resolved") {
        type = "chat-permission-resolved";
        o->set("requestId", c.requestId);
        o->set("decision", c.decision);
        o->set("scope", c.scope);
        o->set("by", c.by);
    } else if (c.type == "end") {
        type = "chat-turn-end";
        o->set("reason", c.reason);
    } else {
        return;
    }
    std::ostringstream text;
    o->stringify(text);
    try {
        bus->publish(type, text.str());
    } catch (const std::exception&) {
    }
}

std::vector<Chunk> SessionManager::pending(const std::string& sessionId) {
    auto run = live(sessionId);
    return run && !run->finished() ? run->pending() : std::vector<Chunk>{};
}

std::shared_ptr<RunSession> SessionManager::live(const std::string& sessionId) {
    std::lock_guard lock(m_);
    auto it = live_.find(sessionId);
    if (it == live_.end() || it->second.session->exited()) return nullptr;
    return it->second.session;
}

bool SessionManager::running(const std::string& sessionId) {
    std::lock_guard lock(m_);
    auto it = live_.find(sessionId);
    return it != live_.end() && !it->second.session->finished();
}

void SessionManager::pruneLocked() {
    auto now = Clock::now();
    std::size_t finished = 0;
    for (auto& [id, live] : live_)
        if (live.session->exited()) {
            if (!live.finishedAt) live.finishedAt = now;
            ++finished;
        }
    for (auto it = live_.begin(); it != live_.end();) {
        auto& live = it->second;
        bool old = live.finishedAt && (now - *live.finishedAt > kKeepFinished || finished > kMaxFinished);
        if (old) {
            if (live.thread.joinable()) live.thread.join();
            it = live_.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

void SessionManager::shutdown() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_);
        shuttingDown_ = true;
        for (auto& [id, live] : live_) {
            if (!live.session->exited()) live.session->cancel("wildws is shutting down");
            if (live.thread.joinable()) threads.push_back(std::move(live.thread));
        }
    }
    for (auto& t : threads) t.join();
}

} // namespace wildws::agent
