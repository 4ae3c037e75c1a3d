#include "shell_action.hpp"

#include "grant_file_watch.hpp"

#include "grant_watch.hpp"
#include "shell_process.hpp"
#include "text_util.hpp"

#include <wildws/services/consent.hpp>

#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

namespace wildws::support {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// The command is audited word for word inside the args (the audit's detail
/// holds 2048 bytes): a command whose args do not fit is refused, never
/// audited in part.
constexpr std::size_t kMaxArgsJsonBytes = 1800;
constexpr int kShellTier = 4;
constexpr auto kGrantEvery = milliseconds(250);
constexpr auto kKillGrace = milliseconds(500);
/// After the shell exits, how long its output may still drain.
constexpr auto kDrainAfterExit = milliseconds(500);
/// A partial line is sent once nothing more came for this long.
constexpr auto kPartialLineIdle = milliseconds(100);

bool isDirectory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string line(const std::string& type, const std::string& key, const std::string& value) {
    auto o = object();
    o->set("type", type);
    o->set(key, value);
    return toText(o);
}

/// One output stream's bytes, cut into lines, under the shared cap.
struct Output {
    const char* type;
    std::string partial;
    Clock::time_point lastData{};
};

class Emitter {
public:
    explicit Emitter(Stream& out) : out_(out) {}
    /// Sends `text` (one line's content) unless the cap is reached.
    void emit(const char* type, const std::string& text) {
        if (truncated_) return;
        std::string t = text;
        if (bytes_ + t.size() > kShellOutputCap) {
            t = cutBytes(t, kShellOutputCap - bytes_);
            if (!t.empty()) send(line(type, "text", sanitizeUtf8(t)));
            bytes_ = kShellOutputCap;
            truncated_ = true;
            send(line("truncated", "message",
                      "the output passed 1 MiB; the rest was read and discarded"));
            return;
        }
        bytes_ += t.size();
        send(line(type, "text", sanitizeUtf8(t)));
    }
    void send(const std::string& l) {
        if (!gone_ && !out_.writeLine(l)) gone_ = true;
    }
    bool gone() const { return gone_; }
    bool truncated() const { return truncated_; }
    std::size_t bytes() const { return bytes_; }

private:
    Stream& out_;
    std::size_t bytes_ = 0;
    bool truncated_ = false;
    bool gone_ = false;
};

/// Reads what is there; returns false at EOF (or a read error).
bool drain(int fd, Output& o, Emitter& e) {
    char buf[65536];
    // A bounded number of reads, so a command that never stops writing
    // cannot keep the loop from its timers.
    for (int reads = 0; reads < 16; ++reads) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            o.lastData = Clock::now();
            if (e.truncated()) continue; // past the cap: keep the pipe empty, drop the bytes
            o.partial.append(buf, static_cast<std::size_t>(n));
            std::size_t start = 0;
            for (std::size_t nl; (nl = o.partial.find('\n', start)) != std::string::npos; start = nl + 1)
                e.emit(o.type, o.partial.substr(start, nl - start));
            o.partial.erase(0, start);
            if (o.partial.size() >= 65536) {
                e.emit(o.type, o.partial);
                o.partial.clear();
            }
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
    return true;
}

void flushPartial(Output& o, Emitter& e) {
    if (!o.partial.empty()) e.emit(o.type, o.partial);
    o.partial.clear();
}

void run(PluginState& state, const SupportActionCall& call, Response& res) {
    const ShellArgs args = readShellArgs(call.argsJson);
    const std::string cwd = args.cwd.empty() ? userHome() : args.cwd;
    Stream& out = res.stream();
    Emitter emit(out);
    const auto started = Clock::now();
    auto endLine = [&](int code, const std::string& reason) {
        auto o = object();
        o->set("type", "end");
        o->set("code", code);
        o->set("reason", reason);
        o->set("truncated", emit.truncated());
        o->set("durationMs",
               static_cast<Poco::Int64>(
                   std::chrono::duration_cast<milliseconds>(Clock::now() - started).count()));
        emit.send(toText(o));
        state.audit("shell-end", kShellTier, code == 0 && reason == "exited", call.actor.empty() ? "operator" : call.actor,
                    "exit code " + std::to_string(code) + ", " + reason + ", " + std::to_string(emit.bytes()) +
                        " bytes of output" + (emit.truncated() ? " (truncated at 1 MiB)" : ""));
    };

    std::unique_ptr<ShellProcess> p;
    try {
        p = std::make_unique<ShellProcess>(args.command, cwd, shellEnvironment());
    } catch (const std::exception& e) {
        emit.send(line("error", "message", e.what()));
        return endLine(-1, "spawn-failed");
    }
    {
        auto o = object();
        o->set("type", "start");
        o->set("pid", static_cast<int>(p->pid()));
        o->set("cwd", cwd);
        o->set("timeoutS", args.timeoutS);
        emit.send(toText(o));
    }

    Output outs[2] = {{"stdout", {}, {}}, {"stderr", {}, {}}};
    auto consent = state.services.find<Consent>();
    GrantWatch watch(kShellTier);
    GrantFileWatch grantFile(state.host.home); // a revoke is seen at once, not at the next 250 ms look
    const auto deadline = started + std::chrono::seconds(args.timeoutS);
    auto nextGrant = Clock::now();
    std::string stopReason;           // set once the group is being killed
    std::optional<Clock::time_point> killAt, exitedAt;

    auto stop = [&](const std::string& reason, const std::string& message) {
        if (!stopReason.empty()) return;
        stopReason = reason;
        emit.send(line("error", "message", message));
        p->signalGroup(SIGTERM);
        p->signalGroup(SIGCONT);
        killAt = Clock::now() + kKillGrace;
    };

    for (;;) {
        const auto now = Clock::now();
        if (!exitedAt && p->exited()) exitedAt = now;
        const bool pipesOpen = p->stdoutFd() >= 0 || p->stderrFd() >= 0;
        if (exitedAt && (!pipesOpen || now - *exitedAt > kDrainAfterExit)) break;

        if (stopReason.empty()) {
            if (emit.gone() || out.closed()) stop("client-gone", "the support client went away (or wildws is stopping)");
            else if (now >= deadline)
                stop("timeout", "timed out after " + std::to_string(args.timeoutS) +
                                    " s; the command's process group was killed");
            else if (now >= nextGrant) {
                nextGrant = now + kGrantEvery;
                GrantStatus s;
                if (consent) s = consent->status();
                if (auto why = watch.check(s, nowMs())) stop(why->code, why->message + "; the command was killed");
            }
        }
        if (killAt && now >= *killAt) {
            p->signalGroup(SIGKILL);
            killAt.reset();
        }

        pollfd fds[3] = {{p->stdoutFd(), POLLIN, 0}, {p->stderrFd(), POLLIN, 0}, {grantFile.fd(), POLLIN, 0}};
        int rc = ::poll(fds, 3, pipesOpen ? 50 : 20);
        if (rc < 0 && errno != EINTR) break;
        if (fds[2].revents && grantFile.drain()) nextGrant = Clock::now(); // look at the grant now
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0) continue;
            if (fds[i].revents && !drain(fds[i].fd, outs[i], emit)) {
                flushPartial(outs[i], emit);
                i == 0 ? p->closeStdout() : p->closeStderr();
            } else if (!outs[i].partial.empty() && Clock::now() - outs[i].lastData > kPartialLineIdle) {
                flushPartial(outs[i], emit);
            }
        }
    }
    for (auto& o : outs) flushPartial(o, emit);
    // Anything the shell left behind in its group goes with it.
    p->signalGroup(SIGKILL);
    int code = p->reap();
    endLine(code, stopReason.empty() ? "exited" : stopReason);
}

} // namespace

std::string userHome() {
    if (const char* h = std::getenv("HOME"); h && *h == '/') return h;
    if (auto* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "/";
}

std::optional<std::string> validateShellArgs(const std::string& argsJson) {
    auto a = parseObject(argsJson);
    if (!a) return std::string("args must be a JSON object");
    auto command = stringMember(a, "command");
    if (!command || trim(*command).empty()) return std::string("command must be a non-empty string");
    if (toText(a).size() > kMaxArgsJsonBytes)
        return std::string("command must be shorter: the args may take at most 1800 bytes as JSON, so that the audit "
                           "holds the whole command");
    if (command->find('\0') != std::string::npos) return std::string("command must not contain a NUL character");
    if (a->has("cwd")) {
        auto cwd = stringMember(a, "cwd");
        if (!cwd || cwd->empty() || (*cwd)[0] != '/' || !isDirectory(*cwd))
            return std::string("cwd must be an existing absolute directory");
    }
    if (a->has("timeoutS")) {
        auto t = integerMember(a, "timeoutS");
        if (!t || *t < 1 || *t > kShellMaxTimeoutS)
            return std::string("timeoutS must be a whole number of seconds from 1 to 600");
    }
    return std::nullopt;
}

ShellArgs readShellArgs(const std::string& argsJson) {
    ShellArgs s;
    auto a = parseObject(argsJson);
    s.command = stringMember(a, "command").value_or("");
    s.cwd = stringMember(a, "cwd").value_or("");
    s.timeoutS = static_cast<int>(integerMember(a, "timeoutS").value_or(kShellDefaultTimeoutS));
    return s;
}

void registerShellAction(Context& ctx, std::shared_ptr<PluginState> state) {
    SupportActionSpec spec;
    spec.name = "shell";
    spec.minTier = kShellTier;
    spec.description = "run a shell command (/bin/sh -c) in your home directory, output streamed, time-limited";
    spec.role = Role::Daemon;
    spec.validate = validateShellArgs;
    spec.run = [state](const SupportActionCall& call, Response& res) { run(*state, call, res); };
    ctx.supportAction(std::move(spec));
}

} // namespace wildws::support
