#include "shell_action.hpp"

#include "grant_file_watch.hpp"

#include "grant_watch.hpp"
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

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
    auto o = json::object();
    o->set("type", type);
    o->set(key, value);
    return json::toText(o);
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
            t = common::cutUtf8(t, kShellOutputCap - bytes_);
            if (!t.empty()) send(line(type, "text", common::sanitizeUtf8(t)));
            bytes_ = kShellOutputCap;
            truncated_ = true;
            send(line("truncated", "message",
                      "the output passed 1 MiB; the rest was read and discarded"));
            return;
        }
        bytes_ += t.size();
        send(line(type, "text", common::sanitizeUtf8(t)));
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
bool drain(ChildProcess& p, ChildProcess::Stream stream, Output& o, Emitter& e) {
    char buf[65536];
    // A bounded number of reads, so a command that never stops writing
    // cannot keep the loop from its timers.
    for (int reads = 0; reads < 16; ++reads) {
        long n = p.read(stream, buf, sizeof buf);
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
        return n < 0; // -1: nothing more now; 0: the end (ChildProcess closed it)
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
        auto o = json::object();
        o->set("type", "end");
        o->set("code", code);
        o->set("reason", reason);
        o->set("truncated", emit.truncated());
        o->set("durationMs",
               static_cast<Poco::Int64>(
                   std::chrono::duration_cast<milliseconds>(Clock::now() - started).count()));
        emit.send(json::toText(o));
        state.audit("shell-end", kShellTier, code == 0 && reason == "exited", call.actor.empty() ? "operator" : call.actor,
                    "exit code " + std::to_string(code) + ", " + reason + ", " + std::to_string(emit.bytes()) +
                        " bytes of output" + (emit.truncated() ? " (truncated at 1 MiB)" : ""));
    };

    std::optional<ChildProcess> p;
    try {
        p.emplace(ChildProcess::spawn(shellSpawnOptions(args.command, cwd)));
    } catch (const std::exception& e) {
        emit.send(line("error", "message", e.what()));
        return endLine(-1, "spawn-failed");
    }
    {
        auto o = json::object();
        o->set("type", "start");
        o->set("pid", static_cast<int>(p->pid()));
        o->set("cwd", cwd);
        o->set("timeoutS", args.timeoutS);
        emit.send(json::toText(o));
    }

    Output outs[2] = {{"stdout", {}, {}}, {"stderr", {}, {}}};
    auto consent = state.services.find<Consent>();
    GrantWatch watch(kShellTier);
    GrantFileWatch grantFile(state.host.home); // a revoke is seen at once, not at the next 250 ms look
    const auto deadline = started + std::chrono::seconds(args.timeoutS);
    auto nextGrant = Clock::now();
    std::string stopReason;           // set once the group is being killed
    std::optional<Clock::time_point> exitedAt;

    auto stop = [&](const std::string& reason, const std::string& message) {
        if (!stopReason.empty()) return;
        stopReason = reason;
        emit.send(line("error", "message", message));
        p->terminate(kKillGrace);
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
                if (auto why = watch.check(s, common::nowMs())) stop(why->code, why->message + "; the command was killed");
            }
        }
        p->killDueInMs(); // the SIGKILL after the grace, once due

        pollfd fds[3] = {{p->stdoutFd(), POLLIN, 0}, {p->stderrFd(), POLLIN, 0}, {grantFile.fd(), POLLIN, 0}};
        int rc = ::poll(fds, 3, pipesOpen ? 50 : 20);
        if (rc < 0 && errno != EINTR) break;
        if (fds[2].revents && grantFile.drain()) nextGrant = Clock::now(); // look at the grant now
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0) continue;
            auto stream = i == 0 ? ChildProcess::Stream::Stdout : ChildProcess::Stream::Stderr;
            if (fds[i].revents && !drain(*p, stream, outs[i], emit)) {
                flushPartial(outs[i], emit);
                p->closeOutput(stream);
            } else if (!outs[i].partial.empty() && Clock::now() - outs[i].lastData > kPartialLineIdle) {
                flushPartial(outs[i], emit);
            }
        }
    }
    for (auto& o : outs) flushPartial(o, emit);
    // Anything the shell left behind in its group goes with it, before `end`.
    int code = p->finish().value();
    endLine(code, stopReason.empty() ? "exited" : stopReason);
}

} // namespace

SpawnOptions shellSpawnOptions(const std::string& command, const std::string& cwd) {
    SpawnOptions o;
    o.argv = {"/bin/sh", "-c", command};
    o.cwd = cwd;
    o.env = childEnvironment({"WILD_WORKSPACE_SHARE_SECRET", "WILD_WORKSPACE_SUPPORT_SECRET"});
    return o;
}

std::string userHome() {
    if (const char* h = std::getenv("HOME"); h && *h == '/') return h;
    if (auto* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "/";
}

std::optional<std::string> validateShellArgs(const std::string& argsJson) {
    auto a = json::parseObject(argsJson);
    if (!a) return std::string("args must be a JSON object");
    auto command = json::getString(a, "command");
    if (!command || common::trim(*command).empty()) return std::string("command must be a non-empty string");
    if (json::toText(a).size() > kMaxArgsJsonBytes)
        return std::string("command must be shorter: the args may take at most 1800 bytes as JSON, so that the audit "
                           "holds the whole command");
    if (command->find('\0') != std::string::npos) return std::string("command must not contain a NUL character");
    if (a->has("cwd")) {
        auto cwd = json::getString(a, "cwd");
        if (!cwd || cwd->empty() || (*cwd)[0] != '/' || !isDirectory(*cwd))
            return std::string("cwd must be an existing absolute directory");
    }
    if (a->has("timeoutS")) {
        auto t = json::getInt(a, "timeoutS");
        if (!t || *t < 1 || *t > kShellMaxTimeoutS)
            return std::string("timeoutS must be a whole number of seconds from 1 to 600");
    }
    return std::nullopt;
}

ShellArgs readShellArgs(const std::string& argsJson) {
    ShellArgs s;
    auto a = json::parseObject(argsJson);
    s.command = json::getString(a, "command").value_or("");
    s.cwd = json::getString(a, "cwd").value_or("");
    s.timeoutS = static_cast<int>(json::getInt(a, "timeoutS").value_or(kShellDefaultTimeoutS));
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
