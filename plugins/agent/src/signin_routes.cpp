#include "signin_routes.hpp"

#include "child_env.hpp"

#include <wildws/common/json.hpp>
#include <wildws/process.hpp>

#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace wildws::agent {
namespace {

using std::chrono::milliseconds;

void streamLogin(LoginManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    LoginManager::Error error;
    auto session = m.start(id, error);
    if (!session) return res.error(error.status, error.code, error.message);
    auto& stream = res.stream();
    for (;;) {
        auto line = session->next(milliseconds(200));
        if (line) {
            if (!stream.writeLine(*line)) break;
            if (line->rfind("{\"type\":\"end\"", 0) == 0) return;
            continue;
        }
        if (session->finished()) {
            if (auto last = session->next(milliseconds(0))) stream.writeLine(*last);
            return;
        }
        if (stream.closed()) break;
    }
    session->stop("the page went away");
}

void sendCode(LoginManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    std::string code, why;
    auto status = parseCodeBody(req.body(), code, why);
    if (status) return res.error(400, *status, why);
    if (!m.known(id)) return res.error(404, "unknown-agent", "unknown agent '" + id + "'");
    auto session = m.running(id);
    if (!session || !session->sendCode(code))
        return res.error(409, "no-signin", "no sign-in of '" + id + "' is running: start one first");
    auto o = common::json::object();
    o->set("agent", id);
    o->set("sent", true);
    res.json(200, common::json::toText(o));
}

void stopLogin(LoginManager& m, const Request& req, Response& res) {
    std::string id = req.param("id").value_or("");
    if (!m.known(id)) return res.error(404, "unknown-agent", "unknown agent '" + id + "'");
    auto session = m.running(id);
    if (!session) return res.error(409, "no-signin", "no sign-in of '" + id + "' is running");
    bool free = session->stop("stopped by the owner");
    auto o = common::json::object();
    o->set("agent", id);
    o->set("stopped", true);
    o->set("portsFree", free);
    res.json(200, common::json::toText(o));
}

/// `wildws agent login AGENT`: the CLI in a PTY, our terminal passed through
/// (raw mode when stdin is a terminal, so the CLI sees every key).
int loginCommand(const Services& services, const AgentSettings& settings, Invocation& inv) {
    std::string id = inv.positional("AGENT").value_or("");
    std::shared_ptr<AgentBackend> backend;
    std::string known;
    for (auto& b : services.all<AgentBackend>()) {
        if (b->id() == id) backend = b;
        known += (known.empty() ? "" : ", ") + b->id();
    }
    if (!backend) {
        inv.err() << "wildws: agent login: unknown agent '" << id << "'; known agents: " << known << "\n";
        return 2;
    }
    auto signin = services.find<AgentSignin>(id);
    if (!signin) {
        inv.err() << "wildws: agent login: " << backend->displayName()
                  << " does not say how to sign in: sign it in in a terminal\n";
        return 1;
    }
    AgentDetection d = backend->detect();
    if (!d.found) {
        inv.err() << "wildws: agent login: " << backend->displayName() << " is not available: " << d.reason
                  << (d.installHint.empty() ? "" : " - " + d.installHint) << "\n";
        return 1;
    }
    AgentSigninLaunch launch;
    try {
        launch = signin->login(d);
    } catch (const std::exception& e) {
        inv.err() << "wildws: agent login: " << e.what() << "\n";
        return 1;
    }
    for (int port : launch.callbackPorts)
        if (!portFree(port)) {
            inv.err() << "wildws: agent login: port " << port << " on 127.0.0.1, which " << backend->displayName()
                      << "'s sign-in needs, is in use: stop what holds it\n";
            return 1;
        }
    SpawnOptions o;
    o.argv = launch.argv;
    o.env = childEnvironment(launch.env, scrubPatterns(settings.scrubEnv));
    o.pty = true;
    winsize ws{};
    bool tty = ::isatty(0) == 1;
    if (::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        o.ptyRows = ws.ws_row;
        o.ptyCols = ws.ws_col;
    } else {
        o.ptyRows = 40;
        o.ptyCols = 500;
    }
    ChildProcess p = [&] {
        try {
            return ChildProcess::spawn(o);
        } catch (const std::exception& e) {
            inv.err() << "wildws: agent login: " << e.what() << "\n";
            throw;
        }
    }();
    termios saved{};
    bool raw = tty && ::tcgetattr(0, &saved) == 0;
    if (raw) {
        termios t = saved;
        ::cfmakeraw(&t);
        ::tcsetattr(0, TCSANOW, &t);
    }
    bool inOpen = true, terminating = false;
    char buf[8192];
    for (;;) {
        if (!terminating && inv.interrupted()) {
            terminating = true;
            p.terminate(settings.killGrace);
        }
        int killIn = p.killDueInMs();
        if (p.terminalFd() < 0 && p.exited()) break;
        pollfd fds[3];
        nfds_t n = 0;
        int term = p.terminalFd();
        if (term >= 0) fds[n++] = {term, static_cast<short>(POLLIN | (p.stdinPending() ? POLLOUT : 0)), 0};
        if (inOpen) fds[n++] = {0, POLLIN, 0};
        ::poll(fds, n, killIn >= 0 ? std::min(killIn, 100) : 100);
        if (p.stdinPending()) p.flushStdin();
        if (inOpen && n > 0 && (fds[n - 1].revents & (POLLIN | POLLHUP))) {
            ssize_t got = ::read(0, buf, sizeof buf);
            if (got > 0) p.writeStdin(std::string_view(buf, static_cast<std::size_t>(got)));
            else inOpen = false;
        }
        for (;;) {
            long got = p.read(ChildProcess::Stream::Terminal, buf, sizeof buf);
            if (got <= 0) break;
            inv.out().write(buf, got);
        }
        inv.out().flush();
        if (term >= 0 && p.exited() && !terminating) {
            terminating = true;
            p.terminate(milliseconds(500));
        }
    }
    ExitStatus status = p.finish();
    if (raw) ::tcsetattr(0, TCSANOW, &saved);
    signin->refresh();
    auto s = signin->status();
    inv.out() << "\r\n";
    if (s.state == SigninState::SignedIn) {
        inv.out() << backend->displayName() << " is signed in" << (s.method.empty() ? "" : " (" + s.method + ")") << "\n";
        return 0;
    }
    if (inv.interrupted()) return 130;
    inv.out() << backend->displayName() << (s.state == SigninState::SignedOut ? " is not signed in" : ": sign-in state unknown")
              << " (the sign-in exited with code " << status.value() << ")"
              << (s.how.empty() ? "" : ": " + s.how) << "\n";
    return 1;
}

} // namespace

std::optional<std::string> parseCodeBody(const std::string& body, std::string& code, std::string& why) {
    auto o = common::json::parseObject(body);
    if (!o) {
        why = "the body must be a JSON object: {\"code\": \"...\"}";
        return std::string("bad-json");
    }
    auto value = common::json::getString(o, "code");
    if (!value || value->find_first_not_of(" \t") == std::string::npos) {
        why = "code must be a non-empty string";
        return std::string("bad-code");
    }
    if (value->size() > 4096) {
        why = "the code is longer than 4096 bytes";
        return std::string("bad-code");
    }
    for (unsigned char c : *value)
        if (c < 0x20 || c == 0x7f) {
            why = "the code contains a control character (a newline, ESC, ...)";
            return std::string("bad-code");
        }
    code = *value;
    return std::nullopt;
}

void registerSignin(Context& ctx, std::shared_ptr<LoginManager> logins, const AgentSettings& settings) {
    auto add = [&](Method method, const char* path, bool streams, auto fn) {
        RouteSpec spec;
        spec.method = method;
        spec.path = path;
        spec.role = Role::Workspace;
        spec.gate = Gate::Owner;
        spec.permission = Permission::ChatWrite;
        spec.streams = streams;
        spec.handler = [logins, fn](const Request& req, Response& res) { fn(*logins, req, res); };
        ctx.route(std::move(spec));
    };
    add(Method::Post, "/api/agents/:id/login", true, streamLogin);
    add(Method::Post, "/api/agents/:id/login/code", false, sendCode);
    add(Method::Delete, "/api/agents/:id/login", false, stopLogin);

    Services* services = &ctx.services();
    CommandSpec spec;
    spec.name = "agent login";
    spec.summary = "sign an agent in: runs its own sign-in (claude auth login, codex login) in this terminal";
    spec.positionals = {{"AGENT", "the agent to sign in (see 'wildws agent list')", true, false}};
    spec.run = [services, settings](Invocation& inv) {
        try {
            return loginCommand(*services, settings, inv);
        } catch (const std::exception&) {
            return 1; // already said
        }
    };
    ctx.command(std::move(spec));
}

} // namespace wildws::agent
