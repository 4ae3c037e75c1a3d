#include "process_session.hpp"

#include <wildws/services/agent_signin.hpp>

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
#include <stdexcept>

namespace wildws::agent {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kReadBuffer = 64 * 1024;

std::string seconds(milliseconds d) { return common::durationText(d.count()); }

} // namespace

struct ProcessSession::Loop {
    Stop stop = Stop::None;
    std::string stopMessage;
    Clock::time_point stallAt, totalAt;
    std::optional<Clock::time_point> killAt, lingerAt;
    std::optional<int> exitStatus;
    LineSplitter lines;
    explicit Loop(std::size_t maxLine) : lines(maxLine) {}
};

ProcessSession::ProcessSession(std::string id, std::string agent, std::unique_ptr<AgentOutputParser> parser,
                               RunLimits limits, ChunkSink sink)
    : id_(std::move(id)), agent_(std::move(agent)), parser_(std::move(parser)), limits_(limits),
      sink_(std::move(sink)), queue_(limits.queueChunks, limits.queueBytes) {}

// ChildProcess's destructor kills the group of a run never run, waits and reaps.
ProcessSession::~ProcessSession() = default;

void ProcessSession::spawn(const SpawnOptions& specIn, std::string stdinText) {
    SpawnOptions spec = specIn;
    spec.stdinMode = stdinText.empty() ? SpawnOptions::Input::Null : SpawnOptions::Input::Pipe;
    wake_.check();
    group_.emplace(ChildProcess::spawn(spec));
    pid_ = group_->pid();
    stdinText_ = std::move(stdinText);
    std::vector<Chunk> batch;
    Chunk start = makeChunk("start");
    start.sessionId = id_;
    start.agent = agent_;
    batch.push_back(std::move(start));
    deliver(batch);
}

std::optional<Chunk> ProcessSession::next(milliseconds timeout) { return queue_.pop(timeout); }

void ProcessSession::cancel(const std::string& why) {
    {
        std::lock_guard lock(m_);
        if (cancelRequested_.load() || finished_.load()) return;
        cancelWhy_ = why.empty() ? "cancelled" : why;
        cancelRequested_ = true;
        wake_.ring();
    }
    queue_.interrupt();
}

std::string ProcessSession::resumeId() const {
    std::lock_guard lock(m_);
    return resumeId_;
}

void ProcessSession::deliver(std::vector<Chunk>& batch, bool last) {
    if (batch.empty()) return;
    for (auto& c : batch) {
        if (!c.resumeId.empty()) {
            std::lock_guard lock(m_);
            resumeId_ = c.resumeId;
        }
    }
    if (sink_) {
        try {
            sink_(batch);
        } catch (const std::exception&) {
            // The store logs its own failures; a full disk must not stop the run.
        }
    }
    // The last batch: recorded, then finished, then handed out - so a reader
    // that sees `end` finds the session finished and its transcript complete.
    if (last) finished_ = true;
    queue_.push(batch);
}

void ProcessSession::parseLine(std::string_view line, std::vector<Chunk>& batch) {
    if (line.empty()) return;
    std::size_t before = batch.size();
    try {
        parser_->line(line, batch);
    } catch (const std::exception& e) {
        batch.resize(before);
        if (!parserThrew_) {
            parserThrew_ = true;
            Chunk c = makeChunk("stderr");
            c.text = "wildws: the " + agent_ + " output parser failed on a line and skipped it: " + e.what();
            batch.push_back(std::move(c));
        }
        return;
    }
    for (std::size_t i = before; i < batch.size(); ++i)
        if (batch[i].type == "error") parserErrorSeen_ = true;
}

void ProcessSession::takeStderr(const char* data, std::size_t n, bool eof, std::vector<Chunk>& batch) {
    errPartial_.append(data, n);
    std::size_t cut = errPartial_.rfind('\n');
    std::string text;
    if (eof || errPartial_.size() >= kReadBuffer) {
        text.swap(errPartial_);
    } else if (cut != std::string::npos) {
        text = errPartial_.substr(0, cut + 1);
        errPartial_.erase(0, cut + 1);
    }
    if (text.empty()) return;
    std::size_t room = limits_.stderrMaxBytes > stderrShown_ ? limits_.stderrMaxBytes - stderrShown_ : 0;
    if (text.size() > room) {
        stderrDropped_ += text.size() - room;
        text.resize(room);
    }
    stderrShown_ += text.size();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) return;
    Chunk c = makeChunk("stderr");
    c.text = common::sanitizeUtf8(text);
    std::string shown = c.text;
    batch.push_back(std::move(c));
    batch.push_back(std::move(c));
    // A parser that also reads stderr (AgentStderrReader) can name a failure
    // the agent reports only there (gemini's missing sign-in).
    if (auto* reader = dynamic_cast<AgentStderrReader*>(parser_.get())) {
        std::size_t before = batch.size();
        for (std::size_t at = 0; at <= shown.size();) {
            std::size_t nl = std::min(shown.find('\n', at), shown.size());
            try {
                reader->stderrLine(std::string_view(shown).substr(at, nl - at), batch);
            } catch (const std::exception&) {
                batch.resize(before);
            }
            at = nl + 1;
        }
        for (std::size_t i = before; i < batch.size(); ++i)
            if (batch[i].type == "error") parserErrorSeen_ = true;
    }
    if (limits_.adviseOnStderr && !advised_) {
        std::string advice = limits_.adviseOnStderr(text);
        if (!advice.empty()) {
            advised_ = true;
            batch.push_back(errorChunk(advice));
            parserErrorSeen_ = true;
        }
    }
}

void ProcessSession::run() {
    using Stream = ChildProcess::Stream;
    ChildProcess& g = *group_; // its fds are non-blocking; its stdin writes give EPIPE, never SIGPIPE
    if (!stdinText_.empty()) {
        g.writeStdin(stdinText_); // the prompt: what the pipe takes now, the rest as it drains
        g.closeStdin();           // once all of it is written
    }

    Loop loop(limits_.maxLineBytes);
    auto now = Clock::now();
    loop.stallAt = now + limits_.stall;
    loop.totalAt = now + limits_.total;
    std::vector<char> buf(kReadBuffer);
    std::vector<Chunk> batch;
    auto onLine = [&](std::string_view line) { parseLine(line, batch); };

    auto beginStop = [&](Stop why, std::string message) {
        loop.stop = why;
        loop.stopMessage = std::move(message);
        g.closeStdin();
        g.terminate(limits_.killGrace); // SIGTERM and SIGCONT to the group now; the SIGKILL below
        loop.killAt = Clock::now() + limits_.killGrace;
    };
    auto exitCode = [&g]() -> std::optional<int> {
        if (auto st = g.exited()) return st->value();
        return std::nullopt;
    };

    for (;;) {
        bool outOpen = g.stdoutFd() >= 0, errOpen = g.stderrFd() >= 0;
        if (!loop.exitStatus && g.pidFd() < 0) loop.exitStatus = exitCode();
        if (!outOpen && !errOpen && loop.exitStatus) break;

        now = Clock::now();
        if (loop.stop == Stop::None && cancelRequested_.load()) {
            std::string why;
            {
                std::lock_guard lock(m_);
                why = cancelWhy_;
            }
            beginStop(Stop::Cancelled, why);
        }
        if (loop.stop == Stop::None && now >= loop.totalAt)
            beginStop(Stop::Timeout, "the agent ran longer than " + seconds(limits_.total) +
                                         " (the total limit, [plugin.agent] total_seconds) and was stopped");
        if (loop.stop == Stop::None && now >= loop.stallAt)
            beginStop(Stop::Stalled, "the agent printed nothing for " + seconds(limits_.stall) +
                                         " (the stall limit, [plugin.agent] stall_seconds) and was stopped");
        if (loop.killAt && now >= *loop.killAt) {
            g.signalGroup(SIGKILL);
            loop.killAt.reset();
            if (!loop.lingerAt) loop.lingerAt = now + limits_.linger;
        }
        if (loop.lingerAt && now >= *loop.lingerAt) {
            // The leader is gone (or was SIGKILLed) but something still holds
            // our pipes: end the group and stop reading.
            g.signalGroup(SIGKILL);
            if (g.stdoutFd() >= 0) loop.lines.finish(onLine);
            g.closeOutput(Stream::Stdout);
            g.closeOutput(Stream::Stderr);
            if (!errPartial_.empty()) takeStderr("", 0, true, batch);
            deliver(batch);
            if (!loop.exitStatus) loop.exitStatus = g.finish().value(); // SIGKILLed: returns at once
            continue;
        }

        // A reader that falls behind: stop reading (the agent blocks on its
        // pipe) and do not count the wait as silence. Once the run is being
        // stopped nobody may be reading any more: drain and drop instead, so
        // the agent's exit is still seen at once.
        bool roomy = queue_.waitForRoom(milliseconds(0));
        if ((outOpen || errOpen) && !roomy && loop.stop == Stop::None) {
            auto before = Clock::now();
            queue_.waitForRoom(milliseconds(50));
            auto waited = Clock::now() - before;
            loop.stallAt += waited;
            continue;
        }

        auto deadline = now + milliseconds(60000);
        if (loop.stop == Stop::None) deadline = std::min({deadline, loop.totalAt, loop.stallAt});
        if (loop.killAt) deadline = std::min(deadline, *loop.killAt);
        if (loop.lingerAt) deadline = std::min(deadline, *loop.lingerAt);
        auto waitMs = std::chrono::duration_cast<milliseconds>(deadline - now).count() + 1;
        waitMs = std::clamp<long long>(waitMs, 0, g.pidFd() < 0 ? 20 : 60000);

        pollfd fds[5] = {
            {g.stdoutFd(), POLLIN, 0},
            {g.stderrFd(), POLLIN, 0},
            {g.stdinPending() ? g.stdinFd() : -1, POLLOUT, 0},
            {loop.exitStatus ? -1 : g.pidFd(), POLLIN, 0},
            {wake_.fd(), POLLIN, 0},
        };
        int rc = ::poll(fds, 5, static_cast<int>(waitMs));
        if (rc < 0 && errno != EINTR) break; // cannot happen with valid fds; the cleanup below still runs
        if (rc <= 0) continue;

        if (fds[4].revents) wake_.drain();
        if (fds[2].revents) g.flushStdin(); // EPIPE (it stopped reading) closes it
        bool gotOutput = false;
        if (fds[0].revents) {
            long n = g.read(Stream::Stdout, buf.data(), buf.size());
            if (n > 0) {
                gotOutput = true;
                if (roomy) loop.lines.feed(buf.data(), static_cast<std::size_t>(n), onLine);
            } else if (n == 0) { // the end: ChildProcess closed our end
                loop.lines.finish(onLine);
            }
        }
        if (fds[1].revents) {
            long n = g.read(Stream::Stderr, buf.data(), buf.size());
            if (n > 0) {
                gotOutput = true;
                if (roomy) takeStderr(buf.data(), static_cast<std::size_t>(n), false, batch);
            } else if (n == 0) {
                takeStderr("", 0, true, batch);
            }
        }
        if (gotOutput) loop.stallAt = Clock::now() + limits_.stall;
        if (fds[3].revents) {
            loop.exitStatus = exitCode();
            if (loop.exitStatus && (g.stdoutFd() >= 0 || g.stderrFd() >= 0) && !loop.lingerAt)
                loop.lingerAt = Clock::now() + limits_.linger;
        }
        deliver(batch);
    }

    // Whatever is left of the group goes now; `end` only once all of it is
    // gone and the leader is reaped.
    int code = g.finish().value();
    finish(loop, code);
}

void ProcessSession::finish(Loop& loop, int code) {
    std::vector<Chunk> batch;
    if (stderrDropped_ > 0) {
        Chunk c = makeChunk("stderr");
        c.text = "[wildws: " + std::to_string(stderrDropped_) +
                 " more bytes of stderr were not shown ([plugin.agent] stderr_max_bytes)]";
        batch.push_back(std::move(c));
    }
    if (loop.lines.skipped() > 0) {
        Chunk c = makeChunk("stderr");
        c.text = "[wildws: skipped " + std::to_string(loop.lines.skipped()) + " output line(s) longer than " +
                 std::to_string(limits_.maxLineBytes) + " bytes ([plugin.agent] max_line_bytes)]";
        batch.push_back(std::move(c));
    }
    Chunk end = makeChunk("end");
    end.code = code;
    switch (loop.stop) {
    case Stop::Cancelled:
        batch.push_back(errorChunk(loop.stopMessage));
        end.reason = "cancelled";
        break;
    case Stop::Stalled:
        batch.push_back(errorChunk(loop.stopMessage));
        end.reason = "stalled";
        break;
    case Stop::Timeout:
        batch.push_back(errorChunk(loop.stopMessage));
        end.reason = "timeout";
        break;
    case Stop::None:
        if (!parser_->sawFinalResult()) {
            std::string how = code > 128 ? "was killed by signal " + std::to_string(code - 128)
                                         : "exited with code " + std::to_string(code);
            batch.push_back(errorChunk("the agent ended without its final result (it " + how + ")"));
            end.reason = "no-result";
        } else if (code != 0 || parserErrorSeen_) {
            if (!parserErrorSeen_) batch.push_back(errorChunk("the agent exited with code " + std::to_string(code)));
            end.reason = "failed";
        } else {
            end.reason = "completed";
        }
        break;
    }
    end.resumeId = resumeId();
    batch.push_back(std::move(end));
    // A finished session may be kept around (find()) for minutes: give back
    // its descriptors now - the eventfd, the pidfd, the transcript.
    wake_.close();
    deliver(batch, true);
    sink_ = nullptr;
    group_.reset(); // reaped: its destructor only closes descriptors
}

} // namespace wildws::agent
