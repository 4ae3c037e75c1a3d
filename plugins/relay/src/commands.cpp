#include "commands.hpp"

#include "remote_client.hpp"
#include "state_files.hpp"

#include <Poco/AutoPtr.h>
#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <Poco/Util/IniFileConfiguration.h>

#include <ctime>
#include <sstream>

#include <pwd.h>
#include <unistd.h>

namespace wildws::relay {
namespace {

int relayStatus(RelayService& service, const HostInfo& host, Invocation& inv) {
    // The id exists from the first `relay status`, so the owner can hand it
    // over before anything connects; a failure shows up as lastError below.
    try {
        service.installId();
    } catch (const std::exception&) {
    }
    auto s = service.state();
    if (inv.flag("json")) {
        inv.out() << statusJson(s) << "\n";
        return s.installId.empty() ? 1 : 0;
    }
    auto& out = inv.out();
    const bool operatorOn = ::access((host.home + "/operator.json").c_str(), F_OK) == 0;
    if (s.connected) out << "relay: CONNECTED to " << s.url << " - support can reach this install through it.\n";
    else if (!s.configured)
        out << "relay: OFF - not configured (set url in [plugin.relay] of wildws.ini; see 'wildws --help').\n";
    else if (!operatorOn) out << "relay: OFF - operator access is off (wildws operator enable turns it on).\n";
    else if (!s.daemonRunning) out << "relay: OFF - the daemon is not running (start it: wildws daemon).\n";
    else out << "relay: NOT CONNECTED to " << s.url << " - the daemon keeps trying.\n";
    if (!s.installId.empty())
        out << "  install id : " << s.installId << "  (give it to support with the operator token)\n";
    if (s.configured) out << "  broker     : " << s.url << "\n";
    if (s.reconnects) out << "  reconnects : " << s.reconnects << "\n";
    if (!s.lastError.empty()) out << "  last error : " << s.lastError << "\n";
    if (s.lastRequestAt)
        out << "  last request: " << s.lastAction << " at " << common::localTime(s.lastRequestAt)
            << (s.lastRequester.empty() ? "" : " (requester says '" + s.lastRequester + "')") << "\n";
    return s.installId.empty() ? 1 : 0;
}

/// [remote] of the engineer's own wildws.ini.
class RemoteIni {
public:
    explicit RemoteIni(const std::string& file) {
        try {
            if (!file.empty() && ::access(file.c_str(), R_OK) == 0) ini_ = new Poco::Util::IniFileConfiguration(file);
        } catch (...) {
        }
    }
    std::optional<std::string> get(const std::string& key) const {
        if (ini_ && ini_->hasProperty("remote." + key)) return ini_->getRawString("remote." + key);
        return std::nullopt;
    }

private:
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini_;
};

const char* const kCredentialOptions[] = {"creds", "nkey-seed", "user", "password-file", "token-file"};

/// Options first, then [remote]. Returns an exit code (2) with one line on error, or 0.
int remoteSettings(const HostInfo& host, Invocation& inv, bool needToken, RemoteSettings& out) {
    RemoteIni ini(host.configFile);
    bool credsOnCommandLine = false;
    for (auto* o : kCredentialOptions) credsOnCommandLine = credsOnCommandLine || inv.value(o).has_value();
    auto get = [&](const std::string& key) -> std::optional<std::string> {
        std::string option = key;
        for (auto& c : option)
            if (c == '_') c = '-';
        if (key == "allow_insecure" && inv.flag("allow-insecure")) return std::string("true");
        if (key != "allow_insecure")
            if (auto v = inv.value(option)) return v;
        const bool credential =
            key == "creds" || key == "nkey_seed" || key == "user" || key == "password_file" || key == "token_file";
        if (credential && credsOnCommandLine) return std::nullopt;
        return ini.get(key);
    };
    auto broker = parseBroker(get, "[remote]");
    if (!broker.error.empty()) {
        inv.err() << broker.error << "\n";
        return 2;
    }
    out.broker = broker.settings;
    if (out.broker.url.empty()) {
        inv.err() << "no broker: give --url nats://HOST:4222 (or tls://...), or set url in [remote] of wildws.ini\n";
        return 2;
    }
    out.install = get("install").value_or("");
    if (out.install.empty()) {
        inv.err() << "no install: give --install ID (the id the owner's 'wildws relay status' prints), or set "
                     "install in [remote]\n";
        return 2;
    }
    if (!validInstallId(out.install)) {
        inv.err() << "--install '" << out.install
                  << "': not an install id (32 lowercase hex characters, as 'wildws relay status' prints it)\n";
        return 2;
    }
    out.operatorTokenFile = get("operator_token_file").value_or("");
    if (needToken && out.operatorTokenFile.empty()) {
        inv.err() << "no operator token: give --operator-token-file FILE (a 0600 file holding the token the owner's "
                     "'wildws operator enable' printed), or set operator_token_file in [remote]\n";
        return 2;
    }
    out.inboxPrefix = get("inbox_prefix").value_or(out.broker.user.empty() ? "" : "_INBOX." + out.broker.user);
    if (out.inboxPrefix.find_first_of("*> ") != std::string::npos) {
        inv.err() << "--inbox-prefix '" << out.inboxPrefix << "': no wildcards or spaces in an inbox prefix\n";
        return 2;
    }
    std::string me;
    if (const char* u = std::getenv("USER"); u && *u) me = u;
    else if (auto* pw = ::getpwuid(::geteuid())) me = pw->pw_name;
    out.requester = ini.get("requester").value_or(!out.broker.user.empty() ? out.broker.user : me);
    return 0;
}

std::vector<OptionSpec> remoteOptions(bool withToken) {
    std::vector<OptionSpec> o = {
        {"url", "URL", "the broker: nats://host:4222 or tls://host:4222 ([remote] url)", {}},
        {"creds", "FILE", "a NATS creds file (0600)", {}},
        {"nkey-seed", "FILE", "a NATS user nkey seed file (0600)", {}},
        {"user", "NAME", "NATS user (with --password-file)", {}},
        {"password-file", "FILE", "a 0600 file holding the NATS password", {}},
        {"token-file", "FILE", "a 0600 file holding a NATS token", {}},
        {"ca-file", "FILE", "CA certificates for the broker's TLS", {}},
        {"allow-insecure", "", "allow a non-loopback nats:// without TLS", {}},
        {"install", "ID", "the install id the owner gave you", {}},
        {"inbox-prefix", "PREFIX", "the reply inbox prefix the broker lets you read (default _INBOX.<user>)", {}},
        {"json", "", "print NDJSON (each line as the install sent it)", {}},
    };
    if (withToken)
        o.push_back({"operator-token-file", "FILE", "a 0600 file holding the owner's operator token", {}});
    return o;
}

namespace json = wildws::common::json;

/// The action's args object, e.g. {"prompt": ..., "mode": ...}, as the body.
std::string argsBody(const json::Object& args) {
    auto body = json::object();
    body->set("args", args);
    return json::toText(body);
}

} // namespace

std::optional<std::string> argsJson(const std::string& joined, std::string& error) {
    auto o = json::object();
    std::istringstream in(joined);
    std::string word;
    while (std::getline(in, word, '\n')) {
        if (joined.empty()) break;
        auto eq = word.find('=');
        if (eq == std::string::npos || eq == 0) {
            error = "--arg '" + word + "': expected key=value (e.g. --arg lines=50)";
            return std::nullopt;
        }
        const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
        const bool integer = !value.empty() && value.size() <= 15 &&
                             value.find_first_not_of("0123456789", value[0] == '-' ? 1 : 0) == std::string::npos &&
                             value != "-";
        if (integer) o->set(key, static_cast<std::int64_t>(std::stoll(value)));
        else if (value == "true" || value == "false") o->set(key, value == "true");
        else o->set(key, value);
    }
    return json::toText(o);
}

std::vector<CommandSpec> commandSpecs(std::shared_ptr<RelayService> service, const HostInfo& host) {
    std::vector<CommandSpec> specs;
    specs.push_back({"relay status",
                     "is this install reachable through the relay? prints the install id",
                     {{"json", "", "print JSON", {}}},
                     {},
                     [service, host](Invocation& inv) { return relayStatus(*service, host, inv); }});

    auto request = [host](Invocation& inv, const std::string& action, const std::string& body) {
        RemoteSettings s;
        if (int rc = remoteSettings(host, inv, true, s)) return rc;
        return remoteRequest(s, action, body, inv.flag("json"), inv);
    };
    specs.push_back({"remote actions", "list an install's support actions through the relay", remoteOptions(true), {},
                     [request](Invocation& inv) { return request(inv, "actions", ""); }});

    auto runOptions = remoteOptions(true);
    OptionSpec arg{"arg", "KEY=VALUE", "an argument of the action (repeatable); numbers and true/false are typed", {}};
    arg.repeatable = true;
    runOptions.push_back(arg);
    specs.push_back({"remote run",
                     "run one support action on an install through the relay",
                     runOptions,
                     {{"ACTION", "diagnostics, logs, agent-task, shell, ..."}},
                     [request](Invocation& inv) {
                         std::string error;
                         auto args = argsJson(inv.value("arg").value_or(""), error);
                         if (!args) {
                             inv.err() << error << "\n";
                             return 2;
                         }
                         const auto action = *inv.positional("ACTION");
                         if (action.find_first_of(".*> ") != std::string::npos || action.empty()) {
                             inv.err() << "ACTION '" << action << "': not an action name (see: wildws remote actions)\n";
                             return 2;
                         }
                         return request(inv, action, argsBody(json::parseObject(*args)));
                     }});

    auto taskOptions = remoteOptions(true);
    taskOptions.push_back({"mode", "MODE", "plan or build", {"plan", "build"}});
    taskOptions.push_back({"task-id", "ID", "a task id of yours (shown to the owner)", {}});
    specs.push_back({"remote agent-task",
                     "operate the owner's agent on a task through the relay (tier 3), streaming its output",
                     taskOptions,
                     {{"PROMPT", "what the agent should do", true, true}},
                     [request](Invocation& inv) {
                         auto args = json::object();
                         args->set("prompt", *inv.positional("PROMPT"));
                         if (auto m = inv.value("mode")) args->set("mode", *m);
                         if (auto t = inv.value("task-id")) args->set("taskId", *t);
                         return request(inv, "agent-task", argsBody(args));
                     },
                     /*rawStderr=*/true}); // the owner's agent's stderr, as it came

    auto shellOptions = remoteOptions(true);
    shellOptions.push_back({"cwd", "DIR", "absolute directory to run in (default: the owner's $HOME)", {}});
    shellOptions.push_back({"timeout-s", "N", "seconds before the command is killed (1..600, default 120)", {}});
    specs.push_back({"remote shell",
                     "run a shell command on an install through the relay (tier 4), streaming its output",
                     shellOptions,
                     {{"COMMAND", "the command line", true, true}},
                     [request](Invocation& inv) {
                         auto args = json::object();
                         args->set("command", *inv.positional("COMMAND"));
                         if (auto c = inv.value("cwd")) args->set("cwd", *c);
                         if (auto t = inv.value("timeout-s")) {
                             if (t->empty() || t->size() > 4 || t->find_first_not_of("0123456789") != std::string::npos) {
                                 inv.err() << "wildws: remote shell: --timeout-s '" << *t
                                           << "': expected a whole number of seconds (1..600)\n";
                                 return 2;
                             }
                             args->set("timeoutS", static_cast<std::int64_t>(std::stoll(*t)));
                         }
                         return request(inv, "shell", argsBody(args));
                     },
                     /*rawStderr=*/true}); // the remote command's stderr, as it came

    specs.push_back({"remote audit",
                     "read an install's fleet audit copy (JetStream WILDWS_AUDIT) and check its chain",
                     remoteOptions(false),
                     {},
                     [host](Invocation& inv) {
                         RemoteSettings s;
                         if (int rc = remoteSettings(host, inv, false, s)) return rc;
                         return remoteAudit(s, inv.flag("json"), inv);
                     }});
    return specs;
}

} // namespace wildws::relay
