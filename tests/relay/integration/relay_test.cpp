// The relay end to end: real nats-server, real daemons, real `wildws remote`.
// Isolation between installs, the broker's permission errors, every failure
// line the engineer can meet, and the whole path: grant -> relayed
// diagnostics -> relayed agent-task streaming -> revoke mid-task -> the
// stream ends, the audit is complete (locally and in the fleet copy).
#include "nats_harness.hpp"
#include "nkey.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

using namespace rt;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

std::vector<st::Json> ndjson(const std::string& text) {
    std::vector<st::Json> out;
    for (auto& l : wt::lines(text))
        if (auto o = st::parse(l)) out.push_back(o);
    return out;
}

/// The pids the fixture agent's "grandchild" mode prints.
void pidsOf(const std::string& output, int& agent, int& child) {
    auto at = output.find("pids ");
    REQUIRE(at != std::string::npos);
    std::istringstream in(output.substr(at + 5));
    int group = 0;
    in >> agent >> group >> child;
}

} // namespace

TEST_CASE("relay: off by default - the install id exists before anything connects", "[relay][integration]") {
    st::Home home;
    auto r = home.cli({"relay", "status", "--json"});
    REQUIRE(r.code == 0);
    auto o = st::parse(r.out);
    CHECK_FALSE(st::flag(o, "configured"));
    CHECK_FALSE(st::flag(o, "connected"));
    CHECK(st::str(o, "installId").size() == 32);
    CHECK(st::num(o, "reconnects") == 0);
    for (auto key : {"configured", "connected", "url", "installId", "reconnects", "lastError", "lastRequestAt"})
        CHECK(o->has(key));
    // Same id every time, and operator enable prints it next to the token.
    auto again = st::parse(home.cli({"relay", "status", "--json"}).out);
    CHECK(st::str(again, "installId") == st::str(o, "installId"));
    auto enable = home.cli({"operator", "enable"});
    CHECK(wt::contains(enable.out, "install id: " + st::str(o, "installId")));
    // --json says it too, with the operator status and the token.
    auto enableJson = st::parse(home.cli({"operator", "enable", "--json"}).out);
    CHECK(st::str(enableJson, "installId") == st::str(o, "installId"));
    CHECK(st::flag(enableJson, "replaced"));
    CHECK(st::str(enableJson, "token").rfind("wwop_", 0) == 0);
    CHECK(st::timeOf(enableJson, "createdAt") > 0);
    CHECK(o->isNull("lastRequestAt")); // nothing relayed yet: null, never 0
    auto text = home.cli({"relay", "status"});
    CHECK(wt::contains(text.out, "relay: OFF - not configured"));
    // A daemon with the relay unconfigured runs and serves HTTP as before.
    auto d = st::daemon(home);
    home.allow(1, 5);
    auto token = home.operatorToken();
    CHECK(st::operatorPost(d->port(), token, "diagnostics", "{}").status == 200);
    CHECK_FALSE(wt::contains(home.cli({"support", "status"}).out, "relay"));
}

TEST_CASE("relay: with the plugin disabled everything else works", "[relay][integration]") {
    st::Home home;
    wt::writeFile(home / "wildws.ini", "[plugins]\ndisable = relay\n" + wt::readFile(home / "wildws.ini"));
    auto enable = home.cli({"operator", "enable"});
    CHECK(enable.code == 0);
    CHECK_FALSE(wt::contains(enable.out, "install id"));
    CHECK(st::parse(home.cli({"operator", "enable", "--json"}).out)->isNull("installId"));
    CHECK(home.cli({"support", "status"}).code == 0);
    auto relayStatus = home.cli({"relay", "status"});
    CHECK(relayStatus.code == 1); // the host says whose command it is
    CHECK(wt::contains(relayStatus.err, "'relay' comes from the relay plugin, which is disabled in"));
    auto d = st::daemon(home);
    home.allow(1, 5);
    CHECK(st::operatorPost(d->port(), home.operatorToken(), "diagnostics", "{}").status == 200);
    auto status = st::ownerGet(*st::serve(home), "/api/support/status");
    CHECK(status.status == 200);
    CHECK(st::parse(status.body)->isNull("relay"));
}

TEST_CASE("relay: grant - diagnostics - agent-task streaming - revoke mid-task - audit complete", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), alice.userBlock()});
    a.configure(nats.url());
    a.startDaemon();

    // No grant yet: the same refusal as over HTTP, in one line.
    auto r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: remote run: no grant: support access is OFF: the owner has not allowed support (wildws support allow) (install " +
                       a.id() + ")\n");

    a.home().allow(3, 10);
    r = alice.remote({"actions"}, nats.url(), &a);
    REQUIRE(r.code == 0);
    auto list = st::parse(r.out);
    REQUIRE(list);
    CHECK(st::arr(list, "actions")->size() >= 4);

    const long long diagnosticsSent = st::nowMs();
    r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    const long long diagnosticsAnswered = st::nowMs();
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto diag = st::parse(r.out);
    REQUIRE(diag);
    CHECK(diag->has("wildws"));
    auto entries = a.home().audit("diagnostics");
    REQUIRE_FALSE(entries.empty());
    const std::string detail = st::str(entries.back(), "detail");
    CHECK(detail.rfind("via relay (nats-server names no sender within one account; reply inbox _INBOX.alice; "
                       "requester says 'alice'); args {}",
                       0) == 0);
    CHECK(st::str(entries.back(), "actor") == "operator");
    CHECK(st::flag(entries.back(), "ok"));
    // What the owner sees: the relay's last request.
    auto status = a.status();
    CHECK(st::str(status, "lastAction") == "diagnostics");
    // relay status --json: an ISO 8601 time, the instant the request came.
    CHECK(st::timeOf(status, "lastRequestAt") >= diagnosticsSent);
    CHECK(st::timeOf(status, "lastRequestAt") <= diagnosticsAnswered);

    // Streaming: every chunk in order, then end; the exit code is end's.
    r = alice.remote({"agent-task", "lines 5 20", "--json"}, nats.url(), &a);
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto lines = ndjson(r.out);
    REQUIRE(lines.size() >= 7);
    CHECK(st::str(lines.front(), "type") == "start");
    int text = 0;
    for (auto& l : lines)
        if (st::str(l, "type") == "text") CHECK(st::str(l, "text") == "line " + std::to_string(text++));
    CHECK(text == 5);
    CHECK(st::str(lines.back(), "type") == "end");
    CHECK(st::num(lines.back(), "code") == 0);
    // Text mode prints the agent's words.
    r = alice.remote({"agent-task", "lines 2 0"}, nats.url(), &a);
    CHECK(r.code == 0);
    CHECK(r.out == "line 0\nline 1\n");

    // Revoke mid-task: the relayed stream ends within a second, with the
    // same error line as over HTTP, and the agent's whole group is gone.
    std::vector<std::string> argv{WILDWS_BIN, "--home", alice.home(), "--plugins-dir", WILDWS_PLUGINS_DIR};
    for (auto& w : alice.argv({"agent-task", "grandchild", "--json"}, nats.url(), &a)) argv.push_back(w);
    wt::Child task(argv);
    REQUIRE(waitFor([&] { return wt::contains(task.output(), "working 1"); }));
    int agent = 0, child = 0;
    pidsOf(task.output(), agent, child);
    a.home().revoke();
    auto t = Clock::now();
    auto code = task.wait(10s);
    CHECK(Clock::now() - t < 1000ms);
    REQUIRE(code);
    auto out = ndjson(task.output());
    REQUIRE(out.size() >= 3);
    CHECK(*code == st::num(out.back(), "code")); // the exit code is end's (the agent's SIGTERM: 143)
    CHECK(*code != 0);
    CHECK(st::str(out[out.size() - 2], "type") == "error");
    CHECK(st::str(out.back(), "type") == "end");
    CHECK(st::str(out.back(), "reason") == "revoked");
    CHECK(st::str(out.back(), "path") == "daemon");
    CHECK(waitFor([&] { return st::gone(agent) && st::gone(child); }, 8s));

    // The local chain is intact, and every entry reached the fleet copy.
    auto verify = a.home().cli({"support", "audit", "--verify"});
    CHECK(verify.code == 0);
    const auto local = a.home().audit();
    wt::Result fleet;
    REQUIRE(waitFor([&] {
        fleet = alice.remote({"audit", "--install", a.id()}, nats.url(), nullptr);
        return fleet.code == 0 && wt::contains(fleet.out, "chain intact: " + std::to_string(a.home().audit().size()) +
                                                            " entries from the feed's first");
    }));
    CHECK(wt::contains(fleet.out, "agent-task"));
    CHECK(local.size() >= 6);
}

TEST_CASE("relay: install A never receives install B's requests", "[relay][integration]") {
    Install a, b;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), b.userBlock(), alice.userBlock()});
    a.configure(nats.url());
    b.configure(nats.url());
    a.startDaemon();
    b.startDaemon();
    a.home().allow(1, 10);
    b.home().allow(1, 10);

    // B's token at A is a wrong token: each install checks its own.
    auto r = wt::wildws(alice.home(), {"remote", "actions", "--url", nats.url(), "--user", "alice", "--password-file",
                                       alice.home() + "/../password", "--install", a.id(), "--operator-token-file",
                                       b.tokenFile()});
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: remote actions: wrong operator token: install " + a.id() +
                       " does not accept it (the owner's 'wildws operator enable' prints the current one; each enable "
                       "replaces it)\n");

    const auto before = a.home().audit().size();
    // The wrong-token request above, once the daemon has written it down.
    REQUIRE(waitFor([&] { return st::timeOf(a.status(), "lastRequestAt") > 0; }));
    const auto askedAt = st::timeOf(a.status(), "lastRequestAt");
    for (int i = 0; i < 3; ++i) REQUIRE(alice.remote({"run", "diagnostics"}, nats.url(), &b).code == 0);
    CHECK(a.home().audit().size() == before); // nothing reached A
    CHECK(b.home().audit("diagnostics").size() == 3);
    CHECK(st::timeOf(a.status(), "lastRequestAt") == askedAt); // A was not asked again
    CHECK(st::str(b.status(), "lastAction") == "diagnostics");

    // And the broker will not let A's user listen to B's subjects at all.
    Engineer spy("install-" + a.id(), a.password());
    std::vector<std::string> args = {"remote", "actions", "--url", nats.url(), "--user", "install-" + a.id(),
                                     "--password-file", a.home() / "nats-password", "--install", b.id(),
                                     "--operator-token-file", b.tokenFile(), "--inbox-prefix", "wildws." + b.id()};
    r = wt::wildws(spy.home(), args);
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "permission violation: the broker refused"));
}

TEST_CASE("relay: every failure the engineer can meet is one clear line", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    Engineer mallory("mallory", "mallory-pw");
    NatsServer nats({a.userBlock(), alice.userBlock(), outsiderUser("mallory", "mallory-pw")});
    a.configure(nats.url());

    // No responders: the daemon is not running.
    auto r = alice.remote({"actions"}, nats.url(), &a);
    // (the token file is written by startDaemon; without it the token line comes first)
    CHECK(r.code == 1);
    a.startDaemon();
    a.home().cli({"operator", "disable"});
    REQUIRE(waitFor([&] { return !a.connected(); }));
    wt::writeFile(a.tokenFile(), "wwop_not-the-token\n", 0600);
    r = alice.remote({"actions"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: remote actions: no responders on wildws." + a.id() + ".actions: install " + a.id() +
                       " is offline or its relay is off (it needs operator access on and [plugin.relay] url set)\n");

    // Operator on again: a wrong token, no grant, a tier too low.
    auto token = a.home().operatorToken();
    REQUIRE(waitFor([&] { return a.connected(); }));
    r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    CHECK(r.err == "wildws: remote run: wrong operator token: install " + a.id() +
                       " does not accept it (the owner's 'wildws operator enable' prints the current one; each enable "
                       "replaces it)\n");
    wt::writeFile(a.tokenFile(), token + "\n", 0600);
    r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: remote run: no grant: support access is OFF: the owner has not allowed support (wildws support allow) (install " +
                       a.id() + ")\n");
    a.home().allow(3, 10);
    r = alice.remote({"shell", "echo hi"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(r.err == "tier too low: 'shell' needs tier 4, and support access is tier 3 (install " + a.id() + ")\n");
    r = alice.remote({"run", "logs", "--arg", "lines=5000"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "bad args: "));
    r = alice.remote({"run", "no-such-action"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "unknown action: no support action named 'no-such-action'"));

    // The broker's own refusals.
    r = mallory.remote({"actions"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(r.err == "wildws: remote actions: permission violation: the broker refused Permissions Violation for Publish to \"wildws." + a.id() +
                       ".actions\" for this user - ask the broker's admin for rights to install " + a.id() +
                       " (and to your inbox _INBOX.mallory)\n");
    Engineer wrongPassword("alice", "not-alices");
    r = wrongPassword.remote({"actions"}, nats.url(), &a);
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "the broker at " + nats.url() + " refused these credentials: "));

    // Bad input on the engineer's side.
    r = alice.remote({"actions", "--install", "not-an-id"}, nats.url(), nullptr);
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: remote actions: --install 'not-an-id': not an install id (32 lowercase hex characters, as 'wildws relay status' "
                   "prints it)\n");
    r = wt::wildws(alice.home(), {"remote", "actions", "--install", a.id()});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: remote actions: no broker: give --url nats://HOST:4222 (or tls://...), or set url in [remote] of wildws.ini\n");
    r = wt::wildws(alice.home(), {"remote", "actions", "--url", "nats://relay.example.com:4222", "--install", a.id()});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: remote actions: [remote] url = 'nats://relay.example.com:4222': refused, a nats:// url to another machine without "
                   "TLS sends the operator token and everything support does in clear text - use tls:// (or set "
                   "ca_file), or set allow_insecure = true to accept that\n");
    r = alice.remote({"run", "logs", "--arg", "lines"}, nats.url(), &a);
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: remote run: --arg 'lines': expected key=value (e.g. --arg lines=50)\n");

    // Settings from [remote] in the engineer's own wildws.ini.
    wt::writeFile(alice.home() + "/wildws.ini", "[remote]\nurl = " + nats.url() + "\nuser = alice\npassword_file = " +
                                                    alice.home() + "/../password\ninstall = " + a.id() +
                                                    "\noperator_token_file = " + a.tokenFile() + "\n");
    r = wt::wildws(alice.home(), {"remote", "run", "logs", "--arg", "channel=relay", "--arg", "lines=3"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(st::str(st::parse(r.out), "channel") == "relay");
}

TEST_CASE("relay: relayed shell streams its lines - exit code from end", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), alice.userBlock()});
    a.configure(nats.url());
    a.startDaemon();
    a.home().allow(4, 10);
    auto r = alice.remote({"shell", "echo one; echo two >&2; exit 3"}, nats.url(), &a);
    CHECK(r.code == 3);
    CHECK(r.out == "one\n");
    CHECK(r.err == "two\nended: exited (code 3)\n");
    // A big answer travels in parts and arrives whole.
    r = alice.remote({"shell", "head -c 3000000 /dev/zero | tr '\\0' x; echo", "--json"}, nats.url(), &a);
    CHECK(r.code == 0);
    std::size_t bytes = 0;
    for (auto& l : ndjson(r.out))
        if (st::str(l, "type") == "stdout") bytes += st::str(l, "text").size();
    CHECK(bytes == 1024 * 1024);
}

TEST_CASE("relay: an install authenticates with an nkey seed file", "[relay][integration]") {
    // A fresh user nkey; the broker knows only its public key.
    unsigned char raw[32];
    std::ifstream("/dev/urandom", std::ios::binary).read(reinterpret_cast<char*>(raw), sizeof raw);
    const std::string seed = wildws::relay::encodeUserSeed(raw);
    const std::string pub = wildws::relay::nkeyPublicFromSeed(seed);
    Install a;
    Engineer alice("alice", "alice-pw");
    std::string block = a.userBlock();
    const std::string userPart = "user: \"install-" + a.id() + "\", password: \"" + a.password() + "\"";
    REQUIRE(block.find(userPart) != std::string::npos);
    block.replace(block.find(userPart), userPart.size(), "nkey: \"" + pub + "\"");
    NatsServer nats({block, alice.userBlock()});
    wt::writeFile(a.home() / "install.nk", seed + "\n", 0600);
    std::string ini = wt::readFile(a.home() / "wildws.ini");
    wt::writeFile(a.home() / "wildws.ini",
                  ini + "\n[plugin.relay]\nurl = " + nats.url() + "\nnkey_seed = " + a.home() / "install.nk" + "\n");
    a.startDaemon();
    a.home().allow(1, 10);
    auto r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    INFO(r.err);
    CHECK(r.code == 0);
}

TEST_CASE("relay: across accounts the broker vouches for the sender", "[relay][integration]") {
    // examples/relay/nats-server-accounts.conf: installs and support in two
    // accounts, support reaching installs only through a share:true import.
    Install a;
    Engineer alice("alice", "alice-pw");
    std::string conf = wt::readFile(std::string(WILDWS_SOURCE_DIR) + "/examples/relay/nats-server-accounts.conf");
    auto replace = [&](const std::string& from, const std::string& to) {
        for (auto at = conf.find(from); at != std::string::npos; at = conf.find(from, at + to.size()))
            conf.replace(at, from.size(), to);
    };
    replace("0123456789abcdef0123456789abcdef", a.id());
    replace("change-me-install-1", a.password());
    replace("change-me-alice", "alice-pw");
    NatsServer nats(conf, true);
    a.configure(nats.url(), "requester_timeout_seconds = 3\n");
    a.startDaemon();
    a.home().allow(4, 10);
    auto r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto entries = a.home().audit("diagnostics");
    REQUIRE_FALSE(entries.empty());
    CHECK(st::str(entries.back(), "detail")
              .rfind("via relay (broker says nats user 'alice' of account 'SUPPORT' (Nats-Request-Info, set by the "
                     "server on a cross-account import); reply inbox _R_.",
                     0) == 0);
    // Streams cross the import too (response_type: stream).
    r = alice.remote({"shell", "echo one; echo two"}, nats.url(), &a);
    CHECK(r.code == 0);
    CHECK(r.out == "one\ntwo\n");
    // Heartbeats cross too: an 8 s task outlives the 3 s requester timeout.
    r = alice.remote({"agent-task", "lines 8 1000"}, nats.url(), &a);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(wt::contains(r.out, "line 7\n"));
    // And the fleet audit copy is readable from the support account.
    wt::Result fleet;
    CHECK(waitFor([&] {
        fleet = alice.remote({"audit", "--install", a.id()}, nats.url(), nullptr);
        return fleet.code == 0 && wt::contains(fleet.out, "chain intact: ");
    }));
    INFO(fleet.out << fleet.err);
}
