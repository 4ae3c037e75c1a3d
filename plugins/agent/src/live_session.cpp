#include "live_session.hpp"

#include "line_splitter.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace wildws::agent {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kReadBuffer = 64 * 1024;

std::string seconds(milliseconds d) { return common::durationText(d.count()); }

bool isPrompt(const Chunk& c) { return c.type == "permission" || c.type == "question"; }

} // namespace

struct LiveSession::Loop {
    enum class Stop { None, Cancelled, Stalled, Timeout, Handshake, Interrupt, Idle };
    Stop stop = Stop::None;
    std::string stopMessage;
    bool turn = true; // the first turn runs from spawn()
    std::optional<AgentRequest> deferred;
    Clock::time_point stallAt, totalAt, idleAt, handshakeAt, lastNow;
    std::optional<Clock::time_point> interruptAt, closeAt, killAt, lingerAt;
    std::map<std::string, Clock::time_point> expiry;
    std::optional<int> exitStatus;
    std::vector<std::string> writes;
    LineSplitter lines;
    bool parserThrew = false;
    explicit Loop(std::size_t maxLine) : lines(maxLine) {}
};

LiveSession::LiveSession(std::string id, std::string agent, std::unique_ptr<AgentProtocol> protocol, RunLimits limits,
                         LiveLimits live, ChunkSink sink, PromptListener listener)
    : id_(std::move(id)), agent_(std::move(agent)), protocol_(std::move(protocol)), limits_(limits), live_(live),
      sink_(std::move(sink)), listener_(std::move(listener)), queue_(limits.queueChunks, limits.queueBytes) {}

LiveSession::~LiveSession() = default;

void LiveSession::spawn(const SpawnOptions& spec, const AgentRequest& first) {
    wake_.check();
    SpawnOptions o = spec;
    o.stdinMode = SpawnOptions::Input::Pipe; // kept open: every turn and answer goes there
    child_.emplace(ChildProcess::spawn(o));
    pid_ = child_->pid();
    alive_ = true;
    {
        std::lock_guard lock(m_);
        Command c{Command::Turn, first, {}, {}};
        commands_.push_back(std::move(c));
    }
    std::vector<Chunk> batch;
    Chunk start = makeChunk("start");
    start.sessionId = id_;
    start.agent = agent_;
    batch.push_back(std::move(start));
    deliver(batch);
}

void LiveSession::wake() { wake_.ring(); }

std::optional<Chunk> LiveSession::next(milliseconds timeout) { return queue_.pop(timeout); }

void LiveSession::cancel(const std::string& why) {
    {
        std::lock_guard lock(m_);
        if (cancelRequested_ || exited_.load()) return;
        cancelWhy_ = why.empty() ? "cancelled" : why;
        cancelRequested_ = true;
        alive_ = false;
        wake(); // under the lock: the runner closes the eventfd under it too
    }
    queue_.interrupt();
}

RespondResult LiveSession::respond(const std::string& requestId, const AgentDecision& d) {
    if ((d.decision != "allow" && d.decision != "deny") || (d.scope != "once" && d.scope != "session"))
        return RespondResult::BadDecision;
    std::lock_guard lock(m_);
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Chunk& c) { return c.requestId == requestId; });
    if (it == pending_.end()) return answered_.count(requestId) ? RespondResult::AlreadyAnswered : RespondResult::UnknownRequest;
    if (it->type == "question" && d.decision == "allow" && d.answersJson.empty()) return RespondResult::BadDecision;
    pending_.erase(it);
    answered_.insert(requestId);
    Command c{Command::Respond, {}, requestId, d};
    commands_.push_back(std::move(c));
    wake();
    return RespondResult::Ok;
}

bool LiveSession::interrupt() {
    std::lock_guard lock(m_);
    if (finished_.load() || !alive_.load() || cancelRequested_) return false;
    commands_.push_back(Command{Command::Interrupt, {}, {}, {}});
    wake();
    return true;
}

bool LiveSession::send(const AgentRequest& request, const std::function<void()>& prepare) {
    std::lock_guard lock(m_);
    if (!alive_.load() || !finished_.load() || cancelRequested_) return false;
    if (prepare) prepare();
    queue_.reopen();
    detached_ = false;
    finished_ = false;
    commands_.push_back(Command{Command::Turn, request, {}, {}});
    wake();
    return true;
}

bool LiveSession::closeIfIdle() {
    std::lock_guard lock(m_);
    if (!alive_.load() || !finished_.load() || cancelRequested_) return false;
    alive_ = false;
    commands_.push_back(Command{Command::Close, {}, {}, {}});
    wake();
    return true;
}

void LiveSession::detach(const std::string&) {
    detached_ = true;
    queue_.reopen(); // nobody reads: drop what waits, and never block the agent on it
}

std::vector<Chunk> LiveSession::pending() const {
    std::lock_guard lock(m_);
    return pending_;
}

std::string LiveSession::resumeId() const {
    std::lock_guard lock(m_);
    return resumeId_;
}

void LiveSession::deliver(std::vector<Chunk>& batch) {
    if (batch.empty()) return;
    bool ends = false;
    for (auto& c : batch) {
        if (!c.resumeId.empty()) {
            std::lock_guard lock(m_);
            resumeId_ = c.resumeId;
        }
        ends = ends || c.type == "end";
    }
    if (sink_) {
        try {
            sink_(batch);
        } catch (const std::exception&) {
            // The store logs its own failures; a full disk must not stop the run.
        }
    }
    if (ends) finished_ = true; // recorded first: a reader that sees `end` finds it all on disk
    if (detached_.load()) batch.clear();
    else queue_.push(batch);
}

void LiveSession::write(Loop&, std::vector<std::string>& lines) {
    // Queued in the child; the runner polls stdinFd() for POLLOUT while some wait.
    for (auto& l : lines)
        if (child_ && child_->stdinFd() >= 0) child_->writeStdin(l + '\n');
    lines.clear();
}

void LiveSession::resolveAllPending(Loop& loop, const std::string& by, const std::string& message,
                                    std::vector<Chunk>& batch) {
    std::vector<Chunk> open;
    {
        std::lock_guard lock(m_);
        open.swap(pending_);
        for (auto& c : open) answered_.insert(c.requestId);
    }
    for (auto& c : open) {
        loop.expiry.erase(c.requestId);
        AgentDecision d;
        d.decision = "deny";
        d.scope = "once";
        d.message = message;
        d.stop = by == "interrupt";
        d.by = by;
        std::size_t before = batch.size();
        if (alive_.load() || by == "interrupt") protocol_->respond(c.requestId, d, batch, loop.writes);
        bool said = std::any_of(batch.begin() + static_cast<long>(before), batch.end(), [&](const Chunk& r) {
            return r.type == "permission-resolved" && r.requestId == c.requestId;
        });
        if (!said) { // the process is gone or forgot it: the transcript still says how it ended
            Chunk r = makeChunk("permission-resolved");
            r.requestId = c.requestId;
            r.decision = "deny";
            r.scope = "once";
            r.by = by;
            r.message = message;
            batch.push_back(std::move(r));
        }
    }
}

/// Keeps the pending list in step with what passes, drops what comes between
/// turns, and notices the turn's end.
void LiveSession::track(std::vector<Chunk>& batch, Loop& loop) {
    std::vector<Chunk> kept;
    kept.reserve(batch.size());
    for (auto& c : batch) {
        if (!loop.turn) continue; // between turns nobody listens; the transcript has no turn open
        if (isPrompt(c)) {
            {
                std::lock_guard lock(m_);
                pending_.push_back(c);
            }
            if (live_.permissionTimeout.count() > 0) loop.expiry[c.requestId] = Clock::now() + live_.permissionTimeout;
            if (listener_) listener_(c);
        } else if (c.type == "permission-resolved") {
            {
                std::lock_guard lock(m_);
                pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                              [&](const Chunk& p) { return p.requestId == c.requestId; }),
                               pending_.end());
                answered_.insert(c.requestId);
            }
            loop.expiry.erase(c.requestId);
            if (listener_) listener_(c);
        } else if (c.type == "end") {
            // Prompts the agent left open are moot once its turn is over.
            std::vector<Chunk> moot;
            resolveAllPending(loop, "agent", "the turn ended before an answer", moot);
            for (auto& m : moot) kept.push_back(std::move(m));
            loop.turn = false;
            loop.interruptAt.reset();
            loop.idleAt = Clock::now() + live_.idle;
            if (c.resumeId.empty()) c.resumeId = protocol_->resumeId();
            if (listener_) listener_(c);
        }
        kept.push_back(std::move(c));
    }
    batch.swap(kept);
}

void LiveSession::takeStderr(const char* data, std::size_t n, bool eof, std::vector<Chunk>& batch) {
    errPartial_.append(data, n);
    std::size_t cut = errPartial_.rfind('\n');
    std::string text;
    if (eof || errPartial_.size() >= kReadBuffer) text.swap(errPartial_);
    else if (cut != std::string::npos) {
        text = errPartial_.substr(0, cut + 1);
        errPartial_.erase(0, cut + 1);
    }
    if (text.empty()) return;
    std::size_t room = limits_.stderrMaxBytes > stderrShown_ ? limits_.stderrMaxBytes - stderrShown_ : 0;
    if (text.size() > room) text.resize(room);
    stderrShown_ += text.size();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) return;
    Chunk c = makeChunk("stderr");
    c.text = common::sanitizeUtf8(text);
    batch.push_back(std::move(c));
}

void LiveSession::endTurn(Loop& loop, std::vector<Chunk>& batch, const std::string& reason, int code) {
    Chunk end = makeChunk("end");
    end.code = code;
    end.reason = reason;
    end.resumeId = protocol_->resumeId();
    if (end.resumeId.empty()) end.resumeId = resumeId();
    batch.push_back(std::move(end));
    track(batch, loop);
}

void LiveSession::run() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

    using Stop = Loop::Stop;
    using S = ChildProcess::Stream;
    ChildProcess& g = *child_;

    Loop loop(limits_.maxLineBytes);
    auto now = Clock::now();
    loop.lastNow = now;
    loop.stallAt = now + limits_.stall;
    loop.totalAt = now + limits_.total;
    loop.handshakeAt = now + live_.handshake;
    std::vector<char> buf(kReadBuffer);
    std::vector<Chunk> batch;

    auto onLine = [&](std::string_view line) {
        if (line.empty()) return;
        std::size_t before = batch.size();
        try {
            protocol_->line(line, batch, loop.writes);
        } catch (const std::exception& e) {
            batch.resize(before);
            if (!loop.parserThrew) {
                loop.parserThrew = true;
                Chunk c = makeChunk("stderr");
                c.text = "wildws: the " + agent_ + " protocol failed on a line and skipped it: " + e.what();
                batch.push_back(std::move(c));
            }
        }
    };
    auto flush = [&] {
        write(loop, loop.writes);
        track(batch, loop);
        deliver(batch);
        batch.clear();
    };
    auto beginStop = [&](Stop why, std::string message) {
        loop.stop = why;
        loop.stopMessage = std::move(message);
        alive_ = false;
        g.closeStdin();
        g.signalGroup(SIGTERM);
        g.signalGroup(SIGCONT);
        loop.killAt = Clock::now() + limits_.killGrace;
    };
    auto startTurn = [&](const AgentRequest& r) {
        loop.turn = true;
        auto t = Clock::now();
        loop.stallAt = t + limits_.stall;
        loop.totalAt = t + limits_.total;
        protocol_->turn(r, batch, loop.writes);
    };

    protocol_->open(loop.writes);
    write(loop, loop.writes);

    for (;;) {
        bool outOpen = g.stdoutFd() >= 0, errOpen = g.stderrFd() >= 0;
        if (!loop.exitStatus && g.pidFd() < 0)
            if (auto st = g.exited()) loop.exitStatus = st->value();
        if (!outOpen && !errOpen && loop.exitStatus) break;

        now = Clock::now();
        bool waiting;
        {
            std::lock_guard lock(m_);
            waiting = !pending_.empty();
        }
        if (waiting) { // the owner is thinking: not a stall, and not the agent's time
            loop.stallAt += now - loop.lastNow;
            loop.totalAt += now - loop.lastNow;
        }
        loop.lastNow = now;

        std::deque<Command> commands;
        bool cancel = false;
        std::string why;
        {
            std::lock_guard lock(m_);
            commands.swap(commands_);
            cancel = cancelRequested_;
            why = cancelWhy_;
        }
        if (cancel && loop.stop == Stop::None) beginStop(Stop::Cancelled, why);
        for (auto& c : commands) {
            if (loop.stop != Stop::None) break;
            switch (c.kind) {
            case Command::Turn:
                if (!loop.turn) { // a follow-up (the first turn's start went out in spawn())
                    Chunk start = makeChunk("start");
                    start.sessionId = id_;
                    start.agent = agent_;
                    start.resumeId = protocol_->resumeId();
                    loop.turn = true;
                    batch.push_back(std::move(start));
                }
                if (protocol_->ready()) startTurn(c.request);
                else loop.deferred = c.request;
                break;
            case Command::Respond:
                loop.expiry.erase(c.requestId);
                protocol_->respond(c.requestId, c.decision, batch, loop.writes);
                break;
            case Command::Interrupt:
                if (!loop.turn) break;
                resolveAllPending(loop, "interrupt", "the owner stopped the turn", batch);
                protocol_->interrupt(batch, loop.writes);
                loop.deferred.reset();
                loop.interruptAt = now + live_.interruptGrace;
                break;
            case Command::Close:
                if (loop.turn) break;
                loop.stop = Stop::Idle;
                g.closeStdin();
                loop.closeAt = now + live_.closeGrace;
                break;
            }
        }
        if (loop.deferred && protocol_->ready() && loop.stop == Stop::None) {
            AgentRequest r = std::move(*loop.deferred);
            loop.deferred.reset();
            startTurn(r);
        }
        if (loop.stop == Stop::None) {
            if (!protocol_->ready() && now >= loop.handshakeAt)
                beginStop(Stop::Handshake, "the agent did not answer its start-up handshake within " +
                                               seconds(live_.handshake) + " ([plugin.agent] handshake_seconds) and was stopped");
            else if (loop.turn && now >= loop.totalAt)
                beginStop(Stop::Timeout, "the agent ran longer than " + seconds(limits_.total) +
                                             " (the total limit, [plugin.agent] total_seconds) and was stopped");
            else if (loop.turn && now >= loop.stallAt)
                beginStop(Stop::Stalled, "the agent printed nothing for " + seconds(limits_.stall) +
                                             " (the stall limit, [plugin.agent] stall_seconds) and was stopped");
            else if (loop.turn && loop.interruptAt && now >= *loop.interruptAt)
                beginStop(Stop::Interrupt, "the agent did not end its turn within " + seconds(live_.interruptGrace) +
                                               " of the Stop, so it was ended");
            else if (!loop.turn && now >= loop.idleAt) {
                alive_ = false;
                loop.stop = Stop::Idle;
                g.closeStdin(); // the agent exits on EOF; the next turn resumes it
                loop.closeAt = now + live_.closeGrace;
            }
        }
        if (loop.stop == Stop::None && !loop.expiry.empty()) {
            std::vector<std::string> due;
            for (auto& [rid, at] : loop.expiry)
                if (now >= at) due.push_back(rid);
            for (auto& rid : due) {
                loop.expiry.erase(rid);
                bool still;
                {
                    std::lock_guard lock(m_);
                    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Chunk& c) { return c.requestId == rid; });
                    still = it != pending_.end();
                    if (still) {
                        pending_.erase(it);
                        answered_.insert(rid);
                    }
                }
                if (!still) continue;
                AgentDecision d;
                d.decision = "deny";
                d.by = "timeout";
                d.message = "nobody answered within " + seconds(live_.permissionTimeout) +
                            " ([plugin.agent] permission_timeout_seconds), so it was denied";
                protocol_->respond(rid, d, batch, loop.writes);
            }
        }
        if (loop.closeAt && now >= *loop.closeAt) {
            loop.closeAt.reset();
            g.signalGroup(SIGTERM);
            g.signalGroup(SIGCONT);
            loop.killAt = now + limits_.killGrace;
        }
        if (loop.killAt && now >= *loop.killAt) {
            g.signalGroup(SIGKILL);
            loop.killAt.reset();
            if (!loop.lingerAt) loop.lingerAt = now + limits_.linger;
        }
        if (loop.lingerAt && now >= *loop.lingerAt) {
            g.signalGroup(SIGKILL);
            if (g.stdoutFd() >= 0) loop.lines.finish(onLine);
            g.closeOutput(S::Stdout);
            g.closeOutput(S::Stderr);
            if (!errPartial_.empty()) takeStderr("", 0, true, batch);
            flush();
            if (!loop.exitStatus) loop.exitStatus = g.finish().value(); // SIGKILLed: returns at once
            continue;
        }
        flush();

        // A reader that falls behind: stop reading (the agent blocks on its
        // pipe) but keep writing its answers and taking commands.
        bool roomy = detached_.load() || loop.stop != Stop::None || queue_.waitForRoom(milliseconds(0));
        auto deadline = now + milliseconds(60000);
        if (loop.stop == Stop::None) {
            if (!protocol_->ready()) deadline = std::min(deadline, loop.handshakeAt);
            if (loop.turn) deadline = std::min({deadline, loop.totalAt, loop.stallAt});
            else deadline = std::min(deadline, loop.idleAt);
            if (loop.interruptAt) deadline = std::min(deadline, *loop.interruptAt);
            for (auto& [rid, at] : loop.expiry) deadline = std::min(deadline, at);
        }
        for (auto& t : {loop.closeAt, loop.killAt, loop.lingerAt})
            if (t) deadline = std::min(deadline, *t);
        auto waitMs = std::chrono::duration_cast<milliseconds>(deadline - now).count() + 1;
        long long cap = g.pidFd() < 0 ? 20 : 60000;
        if (!roomy) cap = 50;
        waitMs = std::clamp<long long>(waitMs, 0, cap);

        pollfd fds[5] = {
            {roomy ? g.stdoutFd() : -1, POLLIN, 0},
            {roomy ? g.stderrFd() : -1, POLLIN, 0},
            {g.stdinPending() ? g.stdinFd() : -1, POLLOUT, 0},
            {loop.exitStatus ? -1 : g.pidFd(), POLLIN, 0},
            {wake_.fd(), POLLIN, 0},
        };
        auto before = Clock::now();
        int rc = ::poll(fds, 5, static_cast<int>(waitMs));
        if (!roomy) { // held up by the reader, not by the agent
            auto held = Clock::now() - before;
            loop.stallAt += held;
        }
        if (rc < 0 && errno != EINTR) break;
        if (rc <= 0) continue;

        if (fds[4].revents) wake_.drain();
        if (fds[2].revents) g.flushStdin(); // EPIPE (it stopped reading) closes our end
        bool gotOutput = false;
        if (fds[0].revents) {
            long n = g.read(S::Stdout, buf.data(), buf.size());
            if (n > 0) {
                gotOutput = true;
                loop.lines.feed(buf.data(), static_cast<std::size_t>(n), onLine);
            } else if (n == 0) {
                loop.lines.finish(onLine); // the end of its output: the fd is closed
            }
        }
        if (fds[1].revents) {
            long n = g.read(S::Stderr, buf.data(), buf.size());
            if (n > 0) {
                gotOutput = true;
                takeStderr(buf.data(), static_cast<std::size_t>(n), false, batch);
            } else if (n == 0) {
                takeStderr("", 0, true, batch);
            }
        }
        if (gotOutput) loop.stallAt = Clock::now() + limits_.stall;
        if (fds[3].revents) {
            if (auto st = g.exited()) {
                loop.exitStatus = st->value();
                alive_ = false;
                if ((g.stdoutFd() >= 0 || g.stderrFd() >= 0) && !loop.lingerAt) loop.lingerAt = Clock::now() + limits_.linger;
            }
        }
        flush();
    }

    // The process is gone (or never answered): end a turn that was running.
    alive_ = false;
    if (g.stdoutFd() >= 0) loop.lines.finish(onLine);
    if (!errPartial_.empty()) takeStderr("", 0, true, batch);
    flush();
    int code = g.finish().value(); // leftovers of the group killed; the leader reaped
    if (loop.turn) {
        std::string how = code > 128 ? "was killed by signal " + std::to_string(code - 128)
                                     : "exited with code " + std::to_string(code);
        resolveAllPending(loop, "agent", "the agent ended before the prompt was answered", batch);
        std::string reason;
        switch (loop.stop) {
        case Stop::Cancelled: batch.push_back(errorChunk(loop.stopMessage)); reason = "cancelled"; break;
        case Stop::Stalled: batch.push_back(errorChunk(loop.stopMessage)); reason = "stalled"; break;
        case Stop::Timeout: batch.push_back(errorChunk(loop.stopMessage)); reason = "timeout"; break;
        case Stop::Handshake: batch.push_back(errorChunk(loop.stopMessage)); reason = "failed"; break;
        case Stop::Interrupt: batch.push_back(errorChunk(loop.stopMessage)); reason = "interrupted"; break;
        case Stop::None:
        case Stop::Idle:
            batch.push_back(errorChunk("the agent ended without its final result (it " + how + ")"));
            reason = "no-result";
            break;
        }
        endTurn(loop, batch, reason, code);
        deliver(batch);
    }
    wake_.close();
    sink_ = nullptr;
    listener_ = nullptr;
    child_.reset();
    exited_ = true;
    queue_.interrupt();
}

} // namespace wildws::agent
